package dev.eligibility.jobs.decision;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;

import dev.eligibility.jobs.policy.ConsentState;
import dev.eligibility.jobs.policy.Definitions;
import dev.eligibility.jobs.policy.Term;
import dev.eligibility.jobs.policy.Facts;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The joins that attach reference facts to the corpus keys. Each method adds its {@link Facts}
 * columns and keeps every input row exactly once: reference tables are first reduced to one row
 * per key (with a match count, so "exactly one" can be decided), or to intervals that cannot
 * overlap. Rows whose key is null (or an empty record id) skip the join and take the facts of
 * "no match", so they never meet on one reducer. No join is hinted: adaptive execution decides.
 */
final class ReferenceFacts {

  private static final String REQUEST_ID = Facts.PREFIX + "r_request_id";

  private ReferenceFacts() {}

  /**
   * Adds {@link Facts#ID_OCCURRENCES} to the corpus keys: how often each non-empty record id
   * occurs in the whole corpus (null for a null or empty id). The ids are grouped alone, and only
   * those that occur more than once are joined back (usually few; broadcast when small).
   */
  static Dataset<Row> attachIdOccurrences(Dataset<Row> keys) {
    String duplicateId = Facts.PREFIX + "d_record_id";
    String occurrences = Facts.PREFIX + "d_occurrences";
    Column id = col("record_id");
    Column present = Definitions.present(Term.field("record_id")).column();
    Dataset<Row> withId = keys.filter(present);
    Dataset<Row> duplicated = withId.groupBy(id.as(duplicateId))
        .agg(count(lit(1)).as(occurrences))
        .filter(col(occurrences).gt(1));
    Dataset<Row> counted = withId.join(duplicated, id.equalTo(col(duplicateId)), "left")
        .withColumn(Facts.ID_OCCURRENCES, coalesce(col(occurrences), lit(1L)))
        .drop(duplicateId, occurrences);
    Dataset<Row> withoutId = keys.filter(not(coalesce(present, lit(false))))
        .withColumn(Facts.ID_OCCURRENCES, lit(null).cast("long"));
    return counted.unionByName(withoutId);
  }

  /**
   * Every API request visible at as_of, decided once: one row per request id with its match count,
   * its fields (of one of its rows, when several), whether it is known, whether a fine-tuned model
   * served it, whether a ZDR agreement covers it, and its organization's and project's consent at
   * submission and at as_of. Only requests visible at as_of count; one with a null
   * {@code submitted_at} cannot be shown invisible, so it counts (and is not known).
   */
  static Dataset<Row> decideRequests(Dataset<Row> requests, Instant asOf, Dataset<Row> fineTunedModels,
      Optional<Dataset<Row>> zdrAgreements, Dataset<Row> consentIntervals) {
    Dataset<Row> perRequest = requests
        .filter(col("request_id").isNotNull())
        .filter(Definitions.visibleAt(Term.field("submitted_at"), asOf).column())
        .groupBy(col("request_id").as(REQUEST_ID))
        .agg(count(lit(1)).as(Facts.REQUEST_MATCHES),
            first("org_id").as(Facts.REQUEST_ORG),
            first("project_id").as(Facts.REQUEST_PROJECT),
            first("channel").as(Facts.REQUEST_CHANNEL),
            first("endpoint").as(Facts.REQUEST_ENDPOINT),
            first("model_id").as(Facts.REQUEST_MODEL),
            first("submitted_at").as(Facts.REQUEST_SUBMITTED_AT),
            first("zdr").as(Facts.REQUEST_ZDR));
    Column known = Definitions.knownRequest().column();
    Dataset<Row> decided = attachFineTunedModels(perRequest.withColumn(Facts.REQUEST_KNOWN, known), fineTunedModels);
    decided = zdrAgreements.isPresent()
        ? attachZdrAgreements(decided, zdrAgreements.get())
        : decided.withColumn(Facts.REQUEST_ZDR_AGREEMENT, lit(false));
    return attachConsent(decided, consentIntervals);
  }

  /**
   * Attaches its decided request ({@link #decideRequests}) to each {@code API} row. A row whose
   * request is not there (or whose {@code source_ref} is null) has no match: not known, no
   * fine-tuned model, no ZDR agreement, no consent. This is the join that may shuffle on both sides.
   */
  static Dataset<Row> attachRequests(Dataset<Row> apiRows, Dataset<Row> decidedRequests) {
    Dataset<Row> all = joinOnSourceRef(apiRows, decidedRequests, REQUEST_ID);
    String none = ConsentState.NONE.name();
    return all
        .withColumn(Facts.REQUEST_MATCHES, coalesce(col(Facts.REQUEST_MATCHES), lit(0L)))
        .withColumn(Facts.REQUEST_KNOWN, coalesce(col(Facts.REQUEST_KNOWN), lit(false)))
        .withColumn(Facts.REQUEST_FINE_TUNED_MODEL, coalesce(col(Facts.REQUEST_FINE_TUNED_MODEL), lit(false)))
        .withColumn(Facts.REQUEST_ZDR_AGREEMENT, coalesce(col(Facts.REQUEST_ZDR_AGREEMENT), lit(false)))
        .withColumn(Facts.CONSENT_ORG_AT_SUBMISSION, coalesce(col(Facts.CONSENT_ORG_AT_SUBMISSION), lit(none)))
        .withColumn(Facts.CONSENT_ORG_AT_AS_OF, coalesce(col(Facts.CONSENT_ORG_AT_AS_OF), lit(none)))
        .withColumn(Facts.CONSENT_PROJECT_AT_SUBMISSION, coalesce(col(Facts.CONSENT_PROJECT_AT_SUBMISSION), lit(none)))
        .withColumn(Facts.CONSENT_PROJECT_AT_AS_OF, coalesce(col(Facts.CONSENT_PROJECT_AT_AS_OF), lit(none)));
  }

  /**
   * Flags requests served by a fine-tuned model: a {@code model_id} listed in
   * {@code fine_tuned_models} (deleted or not, whatever its {@code created_at}), or one that
   * starts with {@code ft:} in any letter case.
   */
  private static Dataset<Row> attachFineTunedModels(Dataset<Row> rows, Dataset<Row> models) {
    String modelId = Facts.PREFIX + "m_model_id";
    Dataset<Row> ids = models.filter(col("model_id").isNotNull()).select(col("model_id").as(modelId)).distinct();
    return rows.join(ids, col(Facts.REQUEST_MODEL).equalTo(col(modelId)), "left")
        .withColumn(Facts.REQUEST_MODEL_LISTED, col(modelId).isNotNull())
        .withColumn(Facts.REQUEST_FINE_TUNED_MODEL, Definitions.fineTunedModel().column())
        .drop(modelId, Facts.REQUEST_MODEL_LISTED);
  }

  /**
   * Flags requests covered by a ZDR agreement of their organization: {@code effective_from} null
   * or at or before submission, {@code effective_to} null or after it, {@code endpoint} null or
   * equal. Agreements are gathered per organization; the window test is a higher-order Column
   * expression, so several agreements never multiply rows.
   */
  private static Dataset<Row> attachZdrAgreements(Dataset<Row> rows, Dataset<Row> agreements) {
    String org = Facts.PREFIX + "z_org_id";
    String list = Facts.PREFIX + "z_agreements";
    Dataset<Row> perOrg = agreements
        .groupBy(col("org_id").as(org))
        .agg(collect_list(struct(col("endpoint"), col("effective_from"), col("effective_to"))).as(list));
    return rows.join(perOrg, col(Facts.REQUEST_ORG).equalTo(col(org)), "left")
        .withColumn(Facts.REQUEST_ZDR_AGREEMENT, coalesce(
            exists(col(list), agreement -> Definitions.zdrAgreementCovers(
                Term.bound(agreement.getField("effective_from"), "effective_from"),
                Term.bound(agreement.getField("effective_to"), "effective_to"),
                Term.bound(agreement.getField("endpoint"), "endpoint")).column()),
            lit(false)))
        .drop(org, list);
  }

  /**
   * Attaches each scope's consent state at submission and at as_of: two range joins against the
   * {@link ConsentIntervals} (an equality on the organization plus the interval test), one on the
   * organization scope, one on the project scope.
   */
  private static Dataset<Row> attachConsent(Dataset<Row> rows, Dataset<Row> intervals) {
    Dataset<Row> orgScope = intervals.filter(col(ConsentIntervals.PROJECT).isNull());
    Dataset<Row> projectScope = intervals.filter(col(ConsentIntervals.PROJECT).isNotNull());
    Dataset<Row> withOrg = joinScope(rows, orgScope, false,
        Facts.CONSENT_ORG_AT_SUBMISSION, Facts.CONSENT_ORG_AT_AS_OF);
    return joinScope(withOrg, projectScope, true,
        Facts.CONSENT_PROJECT_AT_SUBMISSION, Facts.CONSENT_PROJECT_AT_AS_OF);
  }

  private static Dataset<Row> joinScope(
      Dataset<Row> rows, Dataset<Row> scopeIntervals, boolean byProject, String atSubmission, String atAsOf) {
    String p = Facts.PREFIX + "c_";
    Dataset<Row> renamed = scopeIntervals.select(
        col(ConsentIntervals.ORG).as(p + "org"),
        col(ConsentIntervals.PROJECT).as(p + "project"),
        col(ConsentIntervals.VALID_FROM).as(p + "from"),
        col(ConsentIntervals.VALID_TO).as(p + "to"),
        col(ConsentIntervals.STATE).as(p + "state"),
        col(ConsentIntervals.STATE_AT_AS_OF).as(p + "state_at_as_of"));
    Column on = col(Facts.REQUEST_ORG).equalTo(col(p + "org"))
        .and(Definitions.covers(Term.field(p + "from"), Term.field(p + "to"),
            Term.field(Facts.REQUEST_SUBMITTED_AT)).column());
    if (byProject) {
      on = on.and(col(Facts.REQUEST_PROJECT).equalTo(col(p + "project")));
    }
    String none = ConsentState.NONE.name();
    return rows.join(renamed, on, "left")
        .withColumn(atSubmission, coalesce(col(p + "state"), lit(none)))
        .withColumn(atAsOf, coalesce(col(p + "state_at_as_of"), lit(none)))
        .drop(p + "org", p + "project", p + "from", p + "to", p + "state", p + "state_at_as_of");
  }

  /**
   * Attaches the training file each {@code FINE_TUNE_FILE} row names. Known: exactly one row
   * visible at as_of ({@code uploaded_at <= as_of}; a null {@code uploaded_at} counts and makes
   * the file not known) with an organization present.
   */
  static Dataset<Row> attachFiles(Dataset<Row> rows, Dataset<Row> files, Instant asOf) {
    String fileId = Facts.PREFIX + "f_file_id";
    Dataset<Row> perFile = files
        .filter(col("file_id").isNotNull())
        .filter(Definitions.visibleAt(Term.field("uploaded_at"), asOf).column())
        .groupBy(col("file_id").as(fileId))
        .agg(count(lit(1)).as(Facts.FILE_MATCHES),
            first("org_id").as(Facts.FILE_ORG),
            first("uploaded_at").as(Facts.FILE_UPLOADED_AT),
            first("deleted_at").as(Facts.FILE_DELETED_AT));
    Dataset<Row> decided = perFile.withColumn(Facts.FILE_KNOWN, Definitions.knownFile().column())
        .drop(Facts.FILE_UPLOADED_AT);
    return joinOnSourceRef(rows, decided, fileId)
        .withColumn(Facts.FILE_MATCHES, coalesce(col(Facts.FILE_MATCHES), lit(0L)))
        .withColumn(Facts.FILE_KNOWN, coalesce(col(Facts.FILE_KNOWN), lit(false)));
  }

  /**
   * Attaches whether each {@code LICENSED} row's licence is valid: exactly one {@code licenses}
   * row with its id (licences have no recording time and are read whole), permitting training,
   * with {@code valid_from <= as_of < valid_to} ({@code valid_to} null: open; {@code valid_from}
   * or {@code permits_training} null: not valid).
   */
  static Dataset<Row> attachLicenses(Dataset<Row> rows, Dataset<Row> licenses, Instant asOf) {
    String licenseId = Facts.PREFIX + "l_license_id";
    Dataset<Row> perLicense = licenses
        .filter(col("license_id").isNotNull())
        .groupBy(col("license_id").as(licenseId))
        .agg(count(lit(1)).as(Facts.LICENSE_MATCHES),
            first("permits_training").as(Facts.LICENSE_PERMITS),
            first("valid_from").as(Facts.LICENSE_VALID_FROM),
            first("valid_to").as(Facts.LICENSE_VALID_TO));
    Dataset<Row> decided = perLicense.withColumn(Facts.LICENSE_VALID, Definitions.validLicence(asOf).column())
        .drop(Facts.LICENSE_PERMITS, Facts.LICENSE_VALID_FROM, Facts.LICENSE_VALID_TO);
    return joinOnSourceRef(rows, decided, licenseId)
        .withColumn(Facts.LICENSE_MATCHES, coalesce(col(Facts.LICENSE_MATCHES), lit(0L)))
        .withColumn(Facts.LICENSE_VALID, coalesce(col(Facts.LICENSE_VALID), lit(false)));
  }

  /**
   * {@code rows} left-joined to {@code perKey} on {@code source_ref = key}, the key column dropped.
   * Rows with a null {@code source_ref} cannot match and skip the join (their new columns are null).
   */
  private static Dataset<Row> joinOnSourceRef(Dataset<Row> rows, Dataset<Row> perKey, String key) {
    Column ref = col("source_ref");
    Dataset<Row> matched = rows.filter(ref.isNotNull()).join(perKey, ref.equalTo(col(key)), "left").drop(key);
    return matched.unionByName(rows.filter(ref.isNull()), true);
  }
}
