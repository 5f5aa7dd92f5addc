package dev.eligibility.jobs.evidence;

import dev.eligibility.lineage.DatasetDigest;
import dev.eligibility.lineage.DigestAlgorithm;

/**
 * Adds rows' 32-byte SHA-256 digests to a {@link DatasetDigest}: the dataset digest of rows kept
 * only as their digests (a run's evidence, once its payload is gone).
 */
final class RowDigestSum extends SummingAggregator {

  private static final long serialVersionUID = 2L;

  RowDigestSum(DigestAlgorithm algorithm) {
    super(algorithm);
  }

  @Override
  public DatasetDigest reduce(DatasetDigest sum, byte[] rowDigest) {
    if (rowDigest == null) {
      throw new IllegalStateException("an evidence row has no digest");
    }
    return sum.add(rowDigest);
  }
}
