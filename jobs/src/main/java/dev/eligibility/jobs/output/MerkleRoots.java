package dev.eligibility.jobs.output;

import static org.apache.spark.sql.functions.col;

import dev.eligibility.lineage.MerkleTree;
import dev.eligibility.lineage.Sha256;
import java.util.Iterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * The Merkle root ({@link MerkleTree}) over a table's record ids. Spark sorts the ids (its string
 * order is the tree's unsigned UTF-8 order); the driver folds them, streaming one partition at a
 * time and holding O(log n) hashes, so only ids, never rows, reach it.
 */
public final class MerkleRoots {

  private MerkleRoots() {}

  /** The hex root over the (unique, non-null) record ids of {@code rows}. */
  public static String ofRecordIds(Dataset<Row> rows, String idColumn) {
    MerkleTree.RootBuilder root = new MerkleTree.RootBuilder();
    Iterator<String> ids = rows.select(col(idColumn)).orderBy(col(idColumn)).as(Encoders.STRING()).toLocalIterator();
    while (ids.hasNext()) {
      root.add(MerkleTree.leafHash(ids.next()));
    }
    return Sha256.hex(root.root());
  }
}
