package dev.eligibility.jobs.output;

import static org.apache.spark.sql.functions.col;

import dev.eligibility.lineage.MerkleTree;
import dev.eligibility.lineage.Sha256;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The Merkle root ({@link MerkleTree}) over a table's record ids, hashed where the ids are.
 *
 * <p>Spark sorts the ids (its string order is the tree's unsigned UTF-8 order) into range
 * partitions. A first job counts each partition, which gives every partition the index of its
 * first leaf; a second folds each partition's leaves into its aligned perfect subtrees
 * ({@link MerkleTree.Part}, O(log n) hashes each), and the driver joins those in partition order.
 * The first job keeps each partition's leaf hashes (serialized, 32 bytes a leaf), so the second
 * neither sorts nor hashes again; only hashes reach the driver, never rows.
 */
public final class MerkleRoots {

  private static final int SUBTREE_BYTES = Long.BYTES + 32;

  private MerkleRoots() {}

  /** The hex root over the (unique, non-null) record ids of {@code rows}. */
  public static String ofRecordIds(Dataset<Row> rows, String idColumn) {
    JavaRDD<byte[]> leaves = rows.select(col(idColumn)).orderBy(col(idColumn)).as(Encoders.STRING()).javaRDD()
        .map(MerkleTree::leafHash)
        .persist(StorageLevel.MEMORY_AND_DISK_SER());
    List<byte[]> subtrees;
    try {
      List<Long> counts = leaves.mapPartitions(MerkleRoots::countOf).collect();
      long[] starts = new long[counts.size()];
      for (int p = 1; p < starts.length; p++) {
        starts[p] = starts[p - 1] + counts.get(p - 1);
      }
      subtrees = leaves.mapPartitionsWithIndex((partition, hashes) -> subtreesOf(starts[partition], hashes), true)
          .collect();
    } finally {
      leaves.unpersist(false);
    }
    MerkleTree.RootBuilder root = new MerkleTree.RootBuilder();
    for (byte[] subtree : subtrees) {
      ByteBuffer buffer = ByteBuffer.wrap(subtree);
      long width = buffer.getLong();
      byte[] hash = new byte[32];
      buffer.get(hash);
      root.addSubtree(width, hash);
    }
    return Sha256.hex(root.root());
  }

  private static Iterator<Long> countOf(Iterator<byte[]> leaves) {
    long count = 0;
    while (leaves.hasNext()) {
      leaves.next();
      count++;
    }
    return List.of(count).iterator();
  }

  /** One partition's subtrees, each as its width (8 bytes) and root (32 bytes). */
  private static Iterator<byte[]> subtreesOf(long start, Iterator<byte[]> leafHashes) {
    MerkleTree.Part part = new MerkleTree.Part(start);
    while (leafHashes.hasNext()) {
      part.add(leafHashes.next());
    }
    List<byte[]> encoded = new ArrayList<>();
    for (MerkleTree.Subtree subtree : part.subtrees()) {
      encoded.add(ByteBuffer.allocate(SUBTREE_BYTES).putLong(subtree.width()).put(subtree.root()).array());
    }
    return encoded.iterator();
  }
}
