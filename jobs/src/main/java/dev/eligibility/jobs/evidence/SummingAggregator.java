package dev.eligibility.jobs.evidence;

import dev.eligibility.lineage.DatasetDigest;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.expressions.Aggregator;

/**
 * An aggregation into a {@link DatasetDigest}: partial sums merge by addition and the result is
 * the 32-byte sum, which with the row count gives the digest. Subclasses say how one input value
 * becomes a row digest.
 */
abstract class SummingAggregator extends Aggregator<byte[], DatasetDigest, byte[]> {

  private static final long serialVersionUID = 1L;

  @Override
  public final DatasetDigest zero() {
    return new DatasetDigest();
  }

  @Override
  public final DatasetDigest merge(DatasetDigest left, DatasetDigest right) {
    return left.merge(right);
  }

  @Override
  public final byte[] finish(DatasetDigest sum) {
    return sum.sum();
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
