package dev.eligibility.jobs.evidence;

import static org.apache.spark.sql.functions.col;

import dev.eligibility.lineage.MembershipProof;
import dev.eligibility.lineage.MerkleTree;
import dev.eligibility.lineage.RunRecord;
import dev.eligibility.lineage.Sha256;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The Merkle tree ({@link MerkleTree}) over a table's record ids, hashed where the ids are: its
 * root, and the audit paths of single leaves.
 *
 * <p>Spark sorts the ids (its string order is the tree's unsigned UTF-8 order) into range
 * partitions. A first job counts each partition, which gives every partition the index of its
 * first leaf; a second folds each partition's leaves into aligned perfect subtrees
 * ({@link MerkleTree.Part}, O(log n) hashes each) of the whole tree or of the ranges an audit path
 * is made of ({@link MerkleTree#inclusionRanges}), and the driver joins those in partition order.
 * The first job keeps each partition's leaf hashes (serialized, 32 bytes a leaf), so the second
 * neither sorts nor hashes again; only hashes and counts reach the driver, never rows or ids.
 */
public final class MerkleRoots {

  private static final int SUBTREE_BYTES = Integer.BYTES + Long.BYTES + 32;

  private MerkleRoots() {}

  /** The hex root over the (unique, non-null) record ids of {@code rows}: leaves of ids alone (record format v6). */
  public static String ofRecordIds(Dataset<Row> rows, String idColumn) {
    return root(rows, idColumn, Optional.empty());
  }

  /**
   * The hex root over the (unique, non-null) record ids of {@code rows}, each leaf binding the
   * 32-byte row digest in {@code rowDigestColumn} (record format v7).
   */
  public static String ofLeaves(Dataset<Row> rows, String idColumn, String rowDigestColumn) {
    return root(rows, idColumn, Optional.of(rowDigestColumn));
  }

  /**
   * The column of row digests that the leaves of {@code record}'s Merkle tree bind, in a frame of a
   * run's leaves ({@code record_id}, {@code row_digest}: the evidence's columns); empty for a v6
   * record, whose leaves are ids alone.
   */
  public static Optional<String> rowDigestColumnOf(RunRecord record) {
    return record.leavesBindRowDigests() ? Optional.of("row_digest") : Optional.empty();
  }

  /** The hex root of leaves of ids and, where {@code rowDigestColumn} is given, row digests. */
  public static String root(Dataset<Row> rows, String idColumn, Optional<String> rowDigestColumn) {
    JavaRDD<byte[]> leaves = sortedLeaves(rows, idColumn, rowDigestColumn);
    try {
      return rootHex(leaves, partitionStarts(leaves));
    } finally {
      leaves.unpersist(false);
    }
  }

  /**
   * The proof that {@code recordId} is, or is not, one of the (unique, non-null) record ids of
   * {@code rows}, computed on the executors, its leaves binding the row digests in
   * {@code rowDigestColumn} where given; {@code expectedRootHex} and {@code expectedSize} are
   * checked first (a tree that no longer gives the recorded root proves nothing).
   *
   * @throws IllegalStateException naming both roots and sizes when the ids no longer give them
   */
  public static MembershipProof prove(Dataset<Row> rows, String idColumn, Optional<String> rowDigestColumn,
      String recordId, String expectedRootHex, long expectedSize) {
    Dataset<Row> ids = rowDigestColumn.isPresent()
        ? rows.select(col(idColumn).as("id"), col(rowDigestColumn.get()).as("row_digest"))
        : rows.select(col(idColumn).as("id"));
    JavaRDD<byte[]> leaves = sortedLeaves(rows, idColumn, rowDigestColumn);
    try {
      long[] starts = partitionStarts(leaves);
      long size = starts[starts.length - 1];
      String root = rootHex(leaves, starts);
      if (!root.equals(expectedRootHex) || size != expectedSize) {
        throw new IllegalStateException("its record ids no longer give the run record's Merkle root (" + size
            + " ids, root " + root + "; the record says " + expectedSize + " ids, root " + expectedRootHex + ")");
      }
      // Where the id is or would be: the number of ids before it, in the tree's (Spark's) order.
      long before = ids.filter(col("id").lt(recordId)).count();
      boolean included = ids.filter(col("id").equalTo(recordId)).limit(1).count() == 1;
      // Where the leaves bind row digests, each proven leaf names its own, looked up by its id.
      Optional<Dataset<Row>> digests = rowDigestColumn.isPresent() ? Optional.of(ids) : Optional.empty();
      List<MembershipProof.ProvenLeaf> leavesProven = new ArrayList<>();
      if (included) {
        leavesProven.add(provenLeaf(leaves, starts, digests, recordId, before, size));
      } else {
        if (before > 0) {
          String previous = ids.filter(col("id").lt(recordId)).agg(org.apache.spark.sql.functions.max("id")).head().getString(0);
          leavesProven.add(provenLeaf(leaves, starts, digests, previous, before - 1, size));
        }
        if (before < size) {
          String next = ids.filter(col("id").gt(recordId)).agg(org.apache.spark.sql.functions.min("id")).head().getString(0);
          leavesProven.add(provenLeaf(leaves, starts, digests, next, before, size));
        }
      }
      return new MembershipProof(recordId, included, size, leavesProven);
    } finally {
      leaves.unpersist(false);
    }
  }

  private static String rootHex(JavaRDD<byte[]> leaves, long[] starts) {
    long size = starts[starts.length - 1];
    return Sha256.hex(rangeRoots(leaves, starts, List.of(new MerkleTree.Range(0, size))).get(0));
  }

  /** The proven leaf of {@code id} at {@code index}, with its row digest looked up in {@code digests} when given. */
  private static MembershipProof.ProvenLeaf provenLeaf(JavaRDD<byte[]> leaves, long[] starts,
      Optional<Dataset<Row>> digests, String id, long index, long size) {
    List<byte[]> path = rangeRoots(leaves, starts, MerkleTree.inclusionRanges(index, size));
    String rowDigest = digests
        .map(frame -> Sha256.hex((byte[]) frame.filter(col("id").equalTo(id)).select(col("row_digest")).head().get(0)))
        .orElse(null);
    return new MembershipProof.ProvenLeaf(id, rowDigest, index, path.stream().map(Sha256::hex).toList());
  }

  private static JavaRDD<byte[]> sortedLeaves(Dataset<Row> rows, String idColumn, Optional<String> rowDigestColumn) {
    JavaRDD<byte[]> hashed = rowDigestColumn.isEmpty()
        ? rows.select(col(idColumn)).orderBy(col(idColumn)).as(Encoders.STRING()).javaRDD().map(MerkleTree::leafHash)
        : rows.select(col(idColumn), col(rowDigestColumn.get())).orderBy(col(idColumn)).javaRDD()
            .map(row -> MerkleTree.leafHash(row.getString(0), (byte[]) row.get(1)));
    return hashed.persist(StorageLevel.MEMORY_AND_DISK_SER());
  }

  /** The index of each partition's first leaf; the last element is the number of leaves. */
  private static long[] partitionStarts(JavaRDD<byte[]> leaves) {
    List<Long> counts = leaves.mapPartitions(MerkleRoots::countOf).collect();
    long[] starts = new long[counts.size() + 1];
    for (int p = 0; p < counts.size(); p++) {
      starts[p + 1] = starts[p] + counts.get(p);
    }
    return starts;
  }

  /** The root of each of {@code ranges}, in order, from the subtrees every partition folds of its part of them. */
  private static List<byte[]> rangeRoots(JavaRDD<byte[]> leaves, long[] starts, List<MerkleTree.Range> ranges) {
    List<MerkleTree.Range> wanted = List.copyOf(ranges);
    List<byte[]> subtrees = leaves.mapPartitionsWithIndex(
        (partition, hashes) -> subtreesOf(starts[partition], hashes, wanted), true).collect();
    List<MerkleTree.RootBuilder> roots = new ArrayList<>();
    wanted.forEach(range -> roots.add(new MerkleTree.RootBuilder()));
    for (byte[] subtree : subtrees) {
      ByteBuffer buffer = ByteBuffer.wrap(subtree);
      int range = buffer.getInt();
      long width = buffer.getLong();
      byte[] hash = new byte[32];
      buffer.get(hash);
      roots.get(range).addSubtree(width, hash);
    }
    return roots.stream().map(MerkleTree.RootBuilder::root).toList();
  }

  private static Iterator<Long> countOf(Iterator<byte[]> leaves) {
    long count = 0;
    while (leaves.hasNext()) {
      leaves.next();
      count++;
    }
    return List.of(count).iterator();
  }

  /**
   * One partition's subtrees of each range (a leaf may lie in several ranges; each range is folded
   * on its own), each as its range's number (4 bytes), width (8) and root (32).
   */
  private static Iterator<byte[]> subtreesOf(long start, Iterator<byte[]> leafHashes, List<MerkleTree.Range> ranges) {
    MerkleTree.Part[] parts = new MerkleTree.Part[ranges.size()];
    long index = start;
    while (leafHashes.hasNext()) {
      byte[] leaf = leafHashes.next();
      for (int r = 0; r < parts.length; r++) {
        MerkleTree.Range range = ranges.get(r);
        if (range.start() <= index && index < range.end()) {
          if (parts[r] == null) {
            parts[r] = new MerkleTree.Part(index);
          }
          parts[r].add(leaf);
        }
      }
      index++;
    }
    List<byte[]> encoded = new ArrayList<>();
    for (int r = 0; r < parts.length; r++) {
      if (parts[r] == null) {
        continue;
      }
      for (MerkleTree.Subtree subtree : parts[r].subtrees()) {
        encoded.add(ByteBuffer.allocate(SUBTREE_BYTES).putInt(r).putLong(subtree.width()).put(subtree.root()).array());
      }
    }
    return encoded.iterator();
  }
}
