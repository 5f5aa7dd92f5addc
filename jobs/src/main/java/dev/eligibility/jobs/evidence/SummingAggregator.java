package dev.eligibility.jobs.evidence;

import dev.eligibility.lineage.DatasetDigest;
import dev.eligibility.lineage.DigestAlgorithm;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.expressions.Aggregator;

/**
 * An aggregation into a {@link DatasetDigest} of one algorithm: partial digests merge and the
 * result is the digest's state, which with the row count gives the digest
 * ({@link DigestAlgorithm#ofState}). Subclasses say how one input value becomes a row digest.
 */
abstract class SummingAggregator extends Aggregator<byte[], DatasetDigest, byte[]> {

  private static final long serialVersionUID = 2L;

  private final DigestAlgorithm algorithm;

  SummingAggregator(DigestAlgorithm algorithm) {
    this.algorithm = algorithm;
  }

  @Override
  public final DatasetDigest zero() {
    return algorithm.empty();
  }

  @Override
  public final DatasetDigest merge(DatasetDigest left, DatasetDigest right) {
    return left.merge(right);
  }

  @Override
  public final byte[] finish(DatasetDigest sum) {
    return sum.state();
  }

  @Override
  public final Encoder<DatasetDigest> bufferEncoder() {
    return Encoders.javaSerialization(DatasetDigest.class);
  }

  @Override
  public final Encoder<byte[]> outputEncoder() {
    return Encoders.BINARY();
  }
}
