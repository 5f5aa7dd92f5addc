package dev.eligibility.lineage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * {@link DigestAlgorithm#ADDITIVE_V1}, the dataset digest of run records up to format v6, kept so
 * that they still verify: the sum, modulo 2^256, of the rows'
 * SHA-256 digests (each read as a big-endian unsigned integer), bound to the row count:
 *
 * <pre>
 *   dataset_digest = SHA-256( "eligibility-dataset-digest/v1" || uint64_be(count) || uint256_be(sum) )
 * </pre>
 *
 * Addition is commutative and associative, so the digest is the same however the rows are
 * ordered or partitioned, and partial digests of partitions combine by {@link #merge}. The sum
 * is kept as four 64-bit words with carries, so adding a row allocates nothing; that is what
 * lets a Spark aggregation use this class as its buffer.
 */
public final class AdditiveDatasetDigest extends DatasetDigest {

  private static final long serialVersionUID = 1L;

  /** Domain tag of the digest; part of the published algorithm. */
  public static final String ALGORITHM = "eligibility-dataset-digest/v1";

  private static final int WORDS = 4;

  /** The sum modulo 2^256, big-endian: {@code words[0]} is the most significant. */
  private final long[] words = new long[WORDS];
  private long count;

  /**
   * The digest of {@code count} rows whose row digests sum to {@code sum} (32 bytes, big-endian,
   * modulo 2^256), as {@link #sum} returns it.
   */
  static AdditiveDatasetDigest ofSum(byte[] sum, long count) {
    if (sum == null || sum.length != 32) {
      throw new IllegalArgumentException("a digest sum has 32 bytes, not " + (sum == null ? "none" : sum.length));
    }
    AdditiveDatasetDigest digest = new AdditiveDatasetDigest();
    ByteBuffer buffer = ByteBuffer.wrap(sum);
    digest.addWords(buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong());
    digest.count = count;
    return digest;
  }

  @Override
  public DigestAlgorithm algorithm() {
    return DigestAlgorithm.ADDITIVE_V1;
  }

  @Override
  public AdditiveDatasetDigest add(byte[] rowDigest) {
    ByteBuffer buffer = ByteBuffer.wrap(checkedRowDigest(rowDigest));
    addWords(buffer.getLong(), buffer.getLong(), buffer.getLong(), buffer.getLong());
    count++;
    return this;
  }

  /** Subtracts the row digest modulo 2^256: adds its two's complement. */
  @Override
  public AdditiveDatasetDigest remove(byte[] rowDigest) {
    ByteBuffer buffer = ByteBuffer.wrap(checkedRowDigest(rowDigest));
    long w0 = ~buffer.getLong();
    long w1 = ~buffer.getLong();
    long w2 = ~buffer.getLong();
    long w3 = ~buffer.getLong();
    addWords(w0, w1, w2, w3);
    addWords(0, 0, 0, 1);
    count--;
    return this;
  }

  /**
   * Adds one row's SHA-256 digest given as 64 hex digits (as Spark's {@code sha2} returns it).
   *
   * @throws IllegalArgumentException if {@code rowDigestHex} is not 64 hex digits
   */
  public AdditiveDatasetDigest addHex(CharSequence rowDigestHex) {
    if (rowDigestHex == null || rowDigestHex.length() != 64) {
      throw new IllegalArgumentException("a row digest has 64 hex digits, not "
          + (rowDigestHex == null ? "none" : rowDigestHex.length()));
    }
    addWords(parseWord(rowDigestHex, 0), parseWord(rowDigestHex, 1), parseWord(rowDigestHex, 2),
        parseWord(rowDigestHex, 3));
    count++;
    return this;
  }

  private static long parseWord(CharSequence hex, int word) {
    try {
      return Long.parseUnsignedLong(hex, 16 * word, 16 * word + 16, 16);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a row digest is hex; this one is not", e);
    }
  }

  @Override
  public AdditiveDatasetDigest merge(DatasetDigest other) {
    requireSameAlgorithm(other);
    AdditiveDatasetDigest same = (AdditiveDatasetDigest) other;
    addWords(same.words[0], same.words[1], same.words[2], same.words[3]);
    count += same.count;
    return this;
  }

  /** Adds a 256-bit number, given most significant word first, modulo 2^256. */
  private void addWords(long w0, long w1, long w2, long w3) {
    long carry = addWord(3, w3, 0);
    carry = addWord(2, w2, carry);
    carry = addWord(1, w1, carry);
    addWord(0, w0, carry);
  }

  /** {@code words[index] += value + carry}; returns the carry out (0 or 1). */
  private long addWord(int index, long value, long carry) {
    long before = words[index];
    long sum = before + value;
    long carryOut = Long.compareUnsigned(sum, before) < 0 ? 1 : 0;
    long withCarry = sum + carry;
    if (Long.compareUnsigned(withCarry, sum) < 0) {
      carryOut = 1;
    }
    words[index] = withCarry;
    return carryOut;
  }

  @Override
  public long count() {
    return count;
  }

  /** The sum of the row digests modulo 2^256, 32 bytes, big-endian. */
  @Override
  public byte[] state() {
    ByteBuffer sumBytes = ByteBuffer.allocate(32);
    for (long word : words) {
      sumBytes.putLong(word);
    }
    return sumBytes.array();
  }

  @Override
  public String hex() {
    byte[] countBytes = ByteBuffer.allocate(8).putLong(count).array();
    return Sha256.hex(Sha256.of(ALGORITHM.getBytes(StandardCharsets.US_ASCII), countBytes, state()));
  }
}
