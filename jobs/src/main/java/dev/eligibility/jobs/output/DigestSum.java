package dev.eligibility.jobs.output;

import dev.eligibility.lineage.DatasetDigest;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.expressions.Aggregator;

/**
 * The aggregation that sums hex row digests modulo 2^256 (the sum a {@link DatasetDigest} is made
 * of), with carries, in the plain-Java class a reviewer recomputes with; it returns the 32-byte
 * sum, which with the row count gives the digest.
 *
 * <p>Why an aggregator and not Column expressions: Spark has no 256-bit integers, and cutting a
 * hex digest into lanes with {@code conv(substring(...))} and summing them cost five times what
 * hashing the row did (measured: 9.8 s against 1.0 s for 2 million row digests on 2 cores). The
 * aggregator parses the hex in place and allocates nothing per row; its buffer is serialized only
 * when partial sums of partitions are merged.
 */
final class DigestSum extends Aggregator<String, DatasetDigest, byte[]> {

  private static final long serialVersionUID = 1L;

  @Override
  public DatasetDigest zero() {
    return new DatasetDigest();
  }

  @Override
  public DatasetDigest reduce(DatasetDigest sum, String rowDigestHex) {
    if (rowDigestHex == null) {
      // Every encoded row hashes to a value; a missing digest is a defect, never a row to skip.
      throw new IllegalStateException("a row has no row digest");
    }
    return sum.addHex(rowDigestHex);
  }

  @Override
  public DatasetDigest merge(DatasetDigest left, DatasetDigest right) {
    return left.merge(right);
  }

  @Override
  public byte[] finish(DatasetDigest sum) {
    return sum.sum();
  }

  @Override
  public Encoder<DatasetDigest> bufferEncoder() {
    return Encoders.javaSerialization(DatasetDigest.class);
  }

  @Override
  public Encoder<byte[]> outputEncoder() {
    return Encoders.BINARY();
  }
}
