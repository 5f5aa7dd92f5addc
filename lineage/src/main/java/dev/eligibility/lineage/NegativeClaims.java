package dev.eligibility.lineage;

/**
 * Claims about what the eligible set does <em>not</em> hold, each a count of eligible rows that
 * must be zero. They are counted from the rows' facts (provenance, consent, files), not from the
 * reasons the rules gave, so they check the rules rather than repeat them.
 *
 * @param zeroDataRetentionRows eligible API rows whose request has zdr = true or a covering agreement
 * @param nonRetainedEndpointRows eligible API rows sent to a non-retained endpoint
 * @param fineTunedModelIoRows eligible rows that are fine-tuned-model inference or were served by a
 *     fine-tuned model
 * @param deletedOrForeignFineTuneFileRows eligible training-file rows whose file is deleted at
 *     as_of or belongs to another organization than the run's (any, in a BASE_MODEL run)
 * @param postCutoffWithoutOptInRows eligible API rows submitted at or after the cutoff without
 *     OPT_IN in effect at submission and at as_of
 */
public record NegativeClaims(
    long zeroDataRetentionRows,
    long nonRetainedEndpointRows,
    long fineTunedModelIoRows,
    long deletedOrForeignFineTuneFileRows,
    long postCutoffWithoutOptInRows) {

  /** Whether every claim holds (every count is zero). */
  public boolean allHold() {
    return zeroDataRetentionRows == 0 && nonRetainedEndpointRows == 0 && fineTunedModelIoRows == 0
        && deletedOrForeignFineTuneFileRows == 0 && postCutoffWithoutOptInRows == 0;
  }
}
