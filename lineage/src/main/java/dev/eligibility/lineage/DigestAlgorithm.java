package dev.eligibility.lineage;

/**
 * The multiset hashes a run record's dataset digests are computed with, by record format: a
 * reader takes the algorithm from the record it checks, so records written before keep verifying
 * with their own.
 */
public enum DigestAlgorithm {

  /**
   * {@code eligibility-dataset-digest/v1}: the sum of the row digests modulo 2^256 (AdHash), in run
   * records up to format v6. Read only: a 256-bit additive hash is open to generalized-birthday
   * collisions (Wagner) by anyone who can choose many rows.
   */
  ADDITIVE_V1("eligibility-dataset-v1"),

  /**
   * {@code eligibility-dataset-digest/v2}: LtHash16 with 1024 lanes over the row digests, each
   * expanded by AES-256-CTR ({@link LtHashDatasetDigest}); run records from format v7.
   */
  LTHASH_V2("eligibility-dataset-v2");

  /** What a run computes now. */
  public static final DigestAlgorithm CURRENT = LTHASH_V2;

  private final String subjectKey;

  DigestAlgorithm(String subjectKey) {
    this.subjectKey = subjectKey;
  }

  /** The key of a dataset digest in a manifest subject's digest map (and in OpenLineage facets). */
  public String subjectKey() {
    return subjectKey;
  }

  /** The digest of no rows. */
  public DatasetDigest empty() {
    return switch (this) {
      case ADDITIVE_V1 -> new AdditiveDatasetDigest();
      case LTHASH_V2 -> new LtHashDatasetDigest();
    };
  }

  /** The digest of {@code count} rows whose state ({@link DatasetDigest#state}) is {@code state}. */
  public DatasetDigest ofState(byte[] state, long count) {
    return switch (this) {
      case ADDITIVE_V1 -> AdditiveDatasetDigest.ofSum(state, count);
      case LTHASH_V2 -> LtHashDatasetDigest.ofState(state, count);
    };
  }

  /**
   * The algorithm of the run records of {@code formatVersion}.
   *
   * @throws IllegalArgumentException for a format this library does not read
   */
  public static DigestAlgorithm ofRecordFormat(String formatVersion) {
    return switch (formatVersion) {
      case RunRecord.FORMAT_VERSION_V6 -> ADDITIVE_V1;
      case RunRecord.FORMAT_VERSION -> LTHASH_V2;
      default -> throw new IllegalArgumentException("run record format '" + formatVersion + "' is not known");
    };
  }
}
