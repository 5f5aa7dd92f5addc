package dev.eligibility.lineage;

import java.io.Serializable;

/**
 * An order-independent digest of a multiset of rows, each row given by its 32-byte SHA-256 row
 * digest ({@link CanonicalRow}), bound to the row count. Rows can be added and removed in any
 * order, and partial digests of partitions combine by {@link #merge}, so the digest is the same
 * however the rows are ordered or partitioned. Spark aggregations use it as their buffer (hence
 * {@link Serializable}). Which construction: {@link DigestAlgorithm}.
 */
public abstract sealed class DatasetDigest implements Serializable
    permits AdditiveDatasetDigest, LtHashDatasetDigest {

  private static final long serialVersionUID = 2L;

  /** The algorithm of this digest. */
  public abstract DigestAlgorithm algorithm();

  /** Adds one row's 32-byte SHA-256 digest. */
  public abstract DatasetDigest add(byte[] rowDigest);

  /** Removes one row's 32-byte SHA-256 digest (a row added before, here or to a digest merged in). */
  public abstract DatasetDigest remove(byte[] rowDigest);

  /**
   * Adds another partial digest (of disjoint rows) of the same algorithm.
   *
   * @throws IllegalArgumentException if {@code other} is of another algorithm
   */
  public abstract DatasetDigest merge(DatasetDigest other);

  /** The number of rows: added less removed. */
  public abstract long count();

  /**
   * The state that the digest is a hash of, together with the count: what a later computation
   * resumes from ({@link DigestAlgorithm#ofState}).
   */
  public abstract byte[] state();

  /** The digest, hex. */
  public abstract String hex();

  static byte[] checkedRowDigest(byte[] rowDigest) {
    if (rowDigest == null || rowDigest.length != 32) {
      throw new IllegalArgumentException("a row digest has 32 bytes, not " + (rowDigest == null ? "none" : rowDigest.length));
    }
    return rowDigest;
  }

  void requireSameAlgorithm(DatasetDigest other) {
    if (other.algorithm() != algorithm()) {
      throw new IllegalArgumentException("cannot merge a " + other.algorithm() + " digest into a " + algorithm() + " digest");
    }
  }
}
