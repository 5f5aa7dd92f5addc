package dev.eligibility.jobs.evidence;

import dev.eligibility.lineage.DatasetDigest;
import dev.eligibility.lineage.DigestAlgorithm;
import dev.eligibility.lineage.Sha256;
import java.security.DigestException;
import java.security.MessageDigest;

/**
 * The aggregation that hashes canonical row encodings with SHA-256 and adds the row digests to a
 * {@link DatasetDigest}, the plain-Java class a reviewer recomputes with; it returns the digest's
 * state, which with the row count gives the digest.
 *
 * <p>Why an aggregator and not Column expressions: Spark has no 256-bit integers, and cutting a
 * hex digest into lanes with {@code conv(substring(...))} and summing them cost five times what
 * hashing the row did (measured: 9.8 s against 1.0 s for 2 million row digests on 2 cores).
 * Why it hashes the encoding itself rather than summing Spark's {@code sha2}: {@code sha2} looks
 * up a new {@code MessageDigest} and writes hex for every row, which the aggregator then parsed
 * back; hashing the bytes here with one digest per thread cut a 2-million-row digest pass by a
 * quarter to a third (measured on the benchmark corpus). Its buffer is serialized only when
 * partial sums of partitions are merged.
 */
final class DigestSum extends SummingAggregator {

  private static final long serialVersionUID = 3L;

  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(Sha256::newDigest);

  private static final ThreadLocal<byte[]> ROW_DIGEST = ThreadLocal.withInitial(() -> new byte[32]);

  DigestSum(DigestAlgorithm algorithm) {
    super(algorithm);
  }

  @Override
  public DatasetDigest reduce(DatasetDigest sum, byte[] encodedRow) {
    if (encodedRow == null) {
      // Every row has an encoding; a missing one is a defect, never a row to skip.
      throw new IllegalStateException("a row has no canonical encoding");
    }
    MessageDigest sha = SHA_256.get();
    byte[] rowDigest = ROW_DIGEST.get();
    sha.update(encodedRow);
    try {
      sha.digest(rowDigest, 0, rowDigest.length);
    } catch (DigestException e) {
      throw new IllegalStateException("SHA-256 did not fit its 32 bytes", e);
    }
    return sum.add(rowDigest);
  }
}
