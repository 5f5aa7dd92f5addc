package dev.eligibility.jobs.evidence;

import dev.eligibility.lineage.DatasetDigest;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.expressions.Aggregator;

/**
 * Sums rows' 32-byte SHA-256 digests modulo 2^256 ({@link DatasetDigest}): the dataset digest of
 * rows kept only as their digests (a run's evidence, once its payload is gone).
 */
final class RowDigestSum extends Aggregator<byte[], DatasetDigest, byte[]> {

  private static final long serialVersionUID = 1L;

  @Override
  public DatasetDigest zero() {
    return new DatasetDigest();
  }

  @Override
  public DatasetDigest reduce(DatasetDigest sum, byte[] rowDigest) {
    if (rowDigest == null) {
      throw new IllegalStateException("an evidence row has no digest");
    }
    return sum.add(rowDigest);
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
