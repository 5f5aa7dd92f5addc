package dev.eligibility.jobs.policy;

/**
 * Why a candidate row is excluded, in POLICY.md's order: a row's primary reason is the first
 * that applies. The declaration order is the policy order; never reorder.
 */
public enum Reason {
  INVALID_RECORD("record_id null or empty, or source_kind null or not a known kind"),
  DUPLICATE_RECORD_ID("the non-empty record_id occurs more than once across all corpus inputs of the run"),
  OUT_OF_POLICY_SCOPE("source_kind is CONSUMER_APP"),
  NOT_RUN_ORG_DATA("FINE_TUNE run: not a FINE_TUNE_FILE row, or its known training file belongs to another organization"),
  FINE_TUNE_DATA_ISOLATED("BASE_MODEL run: source_kind is FINE_TUNE_FILE"),
  NO_PROVENANCE("API row whose request is not known; FINE_TUNE_FILE row (FINE_TUNE run) whose training file is not known"),
  FINE_TUNED_MODEL_IO("FINE_TUNED_INFERENCE row, or API row whose request was served by a fine-tuned model"),
  ZERO_DATA_RETENTION("API row whose request has zdr = true or is covered by a ZDR agreement"),
  NON_RETAINED_ENDPOINT("API row whose request's endpoint is never retained"),
  ORG_OPTED_OUT("API row submitted before the cutoff whose organization is OPT_OUT at as_of"),
  NO_OPT_IN("API row submitted at or after the cutoff without OPT_IN in effect at submission"),
  OPT_IN_REVOKED("API row submitted at or after the cutoff, OPT_IN at submission but OPT_OUT at as_of"),
  FILE_DELETED("FINE_TUNE run: the row's training file was deleted at or before as_of"),
  LICENSE_NOT_VALID("LICENSED row without exactly one licence that permits training and is valid at as_of");

  private final String description;

  Reason(String description) {
    this.description = description;
  }

  /** One sentence saying when the reason applies, as printed by {@code explain}. */
  public String description() {
    return description;
  }

  /** 1-based position in the policy order. */
  public int position() {
    return ordinal() + 1;
  }
}
