package dev.eligibility.jobs.policy;

/**
 * Names of the columns the engine attaches to corpus rows. All share a prefix that corpus
 * inputs may not use, so they can never clash with a passed-through column.
 */
public final class Facts {

  /** Prefix reserved for the engine's own columns. */
  public static final String PREFIX = "__elig_";

  /** Name of the corpus input the row came from. */
  public static final String INPUT = PREFIX + "input";
  /** How often the row's non-empty record_id occurs in the whole corpus; null when the id is empty. */
  public static final String ID_OCCURRENCES = PREFIX + "id_occurrences";

  /** Visible {@code api_requests} rows with the row's request id (0 when none). */
  public static final String REQUEST_MATCHES = PREFIX + "request_matches";
  /** True when the request is known: exactly one visible row whose required fields are valid. */
  public static final String REQUEST_KNOWN = PREFIX + "request_known";
  public static final String REQUEST_ORG = PREFIX + "request_org_id";
  public static final String REQUEST_PROJECT = PREFIX + "request_project_id";
  public static final String REQUEST_CHANNEL = PREFIX + "request_channel";
  public static final String REQUEST_ENDPOINT = PREFIX + "request_endpoint";
  public static final String REQUEST_MODEL = PREFIX + "request_model_id";
  public static final String REQUEST_SUBMITTED_AT = PREFIX + "request_submitted_at";
  public static final String REQUEST_ZDR = PREFIX + "request_zdr";
  /** True when the request's {@code model_id} is listed in {@code fine_tuned_models} (dropped once used). */
  public static final String REQUEST_MODEL_LISTED = PREFIX + "request_model_listed";
  /** True when the request's model is a fine-tuned model (by table or by {@code ft:} prefix). */
  public static final String REQUEST_FINE_TUNED_MODEL = PREFIX + "request_fine_tuned_model";
  /** True when a ZDR agreement of the request's organization covers it. */
  public static final String REQUEST_ZDR_AGREEMENT = PREFIX + "request_zdr_agreement";

  public static final String CONSENT_ORG_AT_SUBMISSION = PREFIX + "consent_org_at_submission";
  public static final String CONSENT_PROJECT_AT_SUBMISSION = PREFIX + "consent_project_at_submission";
  public static final String CONSENT_ORG_AT_AS_OF = PREFIX + "consent_org_at_as_of";
  public static final String CONSENT_PROJECT_AT_AS_OF = PREFIX + "consent_project_at_as_of";

  /** Visible {@code fine_tune_files} rows with the row's file id (0 when none). */
  public static final String FILE_MATCHES = PREFIX + "file_matches";
  public static final String FILE_KNOWN = PREFIX + "file_known";
  public static final String FILE_ORG = PREFIX + "file_org_id";
  public static final String FILE_DELETED_AT = PREFIX + "file_deleted_at";
  /** The file's {@code uploaded_at} (dropped once {@link #FILE_KNOWN} is decided). */
  public static final String FILE_UPLOADED_AT = PREFIX + "file_uploaded_at";

  /** {@code licenses} rows with the row's licence id (0 when none). */
  public static final String LICENSE_MATCHES = PREFIX + "license_matches";
  public static final String LICENSE_VALID = PREFIX + "license_valid";
  /** The licence's own fields (dropped once {@link #LICENSE_VALID} is decided). */
  public static final String LICENSE_PERMITS = PREFIX + "license_permits_training";
  public static final String LICENSE_VALID_FROM = PREFIX + "license_valid_from";
  public static final String LICENSE_VALID_TO = PREFIX + "license_valid_to";

  /** The primary reason; null for an eligible row. */
  public static final String REASON = PREFIX + "reason";
  /** Every reason that applies, in policy order. */
  public static final String REASONS = PREFIX + "reasons";

  private Facts() {}
}
