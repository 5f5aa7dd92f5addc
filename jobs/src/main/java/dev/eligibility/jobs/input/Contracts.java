package dev.eligibility.jobs.input;

import static dev.eligibility.jobs.input.ColumnType.BOOLEAN;
import static dev.eligibility.jobs.input.ColumnType.STRING;
import static dev.eligibility.jobs.input.ColumnType.TIMESTAMP;
import static dev.eligibility.jobs.input.ContractColumn.optional;
import static dev.eligibility.jobs.input.ContractColumn.required;

import java.util.List;

/**
 * The tables of DATA_CONTRACT.md. Where the contract lists a table's columns without marking
 * them required (the compact tables), every column must exist: a missing {@code deleted_at}
 * could hide deletions, so its absence is an error rather than "never deleted".
 */
public final class Contracts {

  public static final TableContract CORPUS = new TableContract("corpus", "record_id", List.of(
      required("record_id", STRING),
      required("source_kind", STRING),
      optional("source_ref", STRING),
      optional("content", STRING)), true);

  public static final TableContract API_REQUESTS = new TableContract("api_requests", "request_id", List.of(
      required("request_id", STRING),
      required("org_id", STRING),
      optional("project_id", STRING),
      required("channel", STRING),
      required("endpoint", STRING),
      optional("model_id", STRING),
      required("submitted_at", TIMESTAMP),
      required("zdr", BOOLEAN)), false);

  public static final TableContract CONSENT_EVENTS = new TableContract("consent_events", "event_id", List.of(
      required("event_id", STRING),
      required("org_id", STRING).presentOrStop(
          "An opt-out that names no organization cannot be honoured; fix the row upstream."),
      optional("project_id", STRING),
      required("decision", STRING),
      required("effective_at", TIMESTAMP),
      required("recorded_at", TIMESTAMP)), false);

  public static final TableContract FINE_TUNE_FILES = new TableContract("fine_tune_files", "file_id", List.of(
      required("file_id", STRING),
      required("org_id", STRING),
      required("uploaded_at", TIMESTAMP),
      required("deleted_at", TIMESTAMP)), false);

  public static final TableContract FINE_TUNED_MODELS = new TableContract("fine_tuned_models", "model_id", List.of(
      required("model_id", STRING),
      required("org_id", STRING),
      required("created_at", TIMESTAMP),
      required("deleted_at", TIMESTAMP)), false);

  public static final TableContract ZDR_AGREEMENTS = new TableContract("zdr_agreements", "org_id", List.of(
      required("org_id", STRING).presentOrStop(
          "A zero-data-retention agreement that names no organization cannot be applied; fix the row upstream."),
      required("endpoint", STRING),
      required("effective_from", TIMESTAMP),
      required("effective_to", TIMESTAMP)), false);

  public static final TableContract LICENSES = new TableContract("licenses", "license_id", List.of(
      required("license_id", STRING),
      required("permits_training", BOOLEAN),
      required("valid_from", TIMESTAMP),
      required("valid_to", TIMESTAMP)), false);

  /** Every contract table. */
  public static final List<TableContract> ALL =
      List.of(CORPUS, API_REQUESTS, CONSENT_EVENTS, FINE_TUNE_FILES, FINE_TUNED_MODELS, ZDR_AGREEMENTS, LICENSES);

  private Contracts() {}
}
