package dev.eligibility.jobs.evidence;

import dev.eligibility.lineage.DatasetDigest;

/**
 * Sums rows' 32-byte SHA-256 digests modulo 2^256 ({@link DatasetDigest}): the dataset digest of
 * rows kept only as their digests (a run's evidence, once its payload is gone).
 */
final class RowDigestSum extends SummingAggregator {

  private static final long serialVersionUID = 1L;

  @Override
  public DatasetDigest reduce(DatasetDigest sum, byte[] rowDigest) {
    if (rowDigest == null) {
      throw new IllegalStateException("an evidence row has no digest");
    }
    return sum.add(rowDigest);
  }
}
