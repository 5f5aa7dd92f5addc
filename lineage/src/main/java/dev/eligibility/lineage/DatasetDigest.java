package dev.eligibility.lineage;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * An order-independent digest of a multiset of rows: the sum, modulo 2^256, of the rows'
 * SHA-256 digests (each read as a big-endian unsigned integer), bound to the row count:
 *
 * <pre>
 *   dataset_digest = SHA-256( "eligibility-dataset-digest/v1" || uint64_be(count) || uint256_be(sum) )
 * </pre>
 *
 * Addition is commutative and associative, so the digest is the same however the rows are
 * ordered or partitioned, and partial digests of partitions combine by {@link #merge}. To sum
 * inside Spark without 256-bit integers, a row digest is split into eight big-endian 32-bit
 * lanes whose sums fit a 64-bit integer for fewer than 2^31 rows; {@link #addLaneSums}
 * recombines them exactly.
 */
public final class DatasetDigest {

  /** Domain tag of the digest; part of the published algorithm. */
  public static final String ALGORITHM = "eligibility-dataset-digest/v1";

  private static final BigInteger MODULUS = BigInteger.ONE.shiftLeft(256);

  private BigInteger sum = BigInteger.ZERO;
  private long count;

  /** Adds one row's 32-byte SHA-256 digest. */
  public DatasetDigest add(byte[] rowDigest) {
    if (rowDigest.length != 32) {
      throw new IllegalArgumentException("a row digest has 32 bytes, not " + rowDigest.length);
    }
    sum = sum.add(new BigInteger(1, rowDigest)).mod(MODULUS);
    count++;
    return this;
  }

  /**
   * Adds {@code rows} rows given as the sums of their eight 32-bit lanes, lane 0 the most
   * significant.
   */
  public DatasetDigest addLaneSums(long[] laneSums, long rows) {
    if (laneSums.length != 8) {
      throw new IllegalArgumentException("a row digest has 8 lanes, not " + laneSums.length);
    }
    BigInteger total = BigInteger.ZERO;
    for (int lane = 0; lane < 8; lane++) {
      if (laneSums[lane] < 0) {
        throw new IllegalArgumentException("lane sums are unsigned; lane " + lane + " overflowed");
      }
      total = total.add(BigInteger.valueOf(laneSums[lane]).shiftLeft(32 * (7 - lane)));
    }
    sum = sum.add(total).mod(MODULUS);
    count += rows;
    return this;
  }

  /** Adds another partial digest (of disjoint rows). */
  public DatasetDigest merge(DatasetDigest other) {
    sum = sum.add(other.sum).mod(MODULUS);
    count += other.count;
    return this;
  }

  public long count() {
    return count;
  }

  /** The digest, hex. */
  public String hex() {
    byte[] sumBytes = new byte[32];
    byte[] raw = sum.toByteArray();
    int copy = Math.min(raw.length, 32);
    System.arraycopy(raw, raw.length - copy, sumBytes, 32 - copy, copy);
    byte[] countBytes = ByteBuffer.allocate(8).putLong(count).array();
    return Sha256.hex(Sha256.of(ALGORITHM.getBytes(StandardCharsets.US_ASCII), countBytes, sumBytes));
  }
}
