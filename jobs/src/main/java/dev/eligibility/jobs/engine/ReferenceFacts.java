package dev.eligibility.jobs.engine;

import dev.eligibility.jobs.policy.FactConditions;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.exists;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.struct;

import dev.eligibility.jobs.policy.ConsentState;
import dev.eligibility.jobs.policy.Facts;
import dev.eligibility.jobs.policy.SourceKind;
import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The joins that attach reference facts to corpus rows. Each method adds its {@link Facts}
 * columns and keeps every input row exactly once: reference tables are first reduced to one row
 * per key (with a match count, so "exactly one" can be decided), or to intervals that cannot
 * overlap.
 */
final class ReferenceFacts {

  private static final String REQUEST_ID = Facts.PREFIX + "r_request_id";

  private ReferenceFacts() {}

  /**
   * Attaches the API request each {@code API} row names. Only requests visible at as_of count;
   * one with a null {@code submitted_at} cannot be shown invisible, so it counts (and is not known).
   * This is the one join that shuffles: both sides may be large.
   */
  static Dataset<Row> attachRequests(Dataset<Row> apiRows, Dataset<Row> requests, Instant asOf) {
    Dataset<Row> perRequest = requests
        .filter(col("request_id").isNotNull())
        .filter(col("submitted_at").isNull().or(col("submitted_at").leq(lit(Timestamp.from(asOf)))))
        .groupBy(col("request_id"))
        .agg(count(lit(1)).as(Facts.REQUEST_MATCHES),
            first("org_id").as(Facts.REQUEST_ORG),
            first("project_id").as(Facts.REQUEST_PROJECT),
            first("channel").as(Facts.REQUEST_CHANNEL),
            first("endpoint").as(Facts.REQUEST_ENDPOINT),
            first("model_id").as(Facts.REQUEST_MODEL),
            first("submitted_at").as(Facts.REQUEST_SUBMITTED_AT),
            first("zdr").as(Facts.REQUEST_ZDR))
        .withColumnRenamed("request_id", REQUEST_ID);
    Column known = col(Facts.REQUEST_MATCHES).equalTo(1)
        .and(FactConditions.present(col(Facts.REQUEST_ORG)))
        .and(col(Facts.REQUEST_CHANNEL).isin("API", "PLAYGROUND"))
        .and(FactConditions.present(col(Facts.REQUEST_ENDPOINT)))
        .and(col(Facts.REQUEST_SUBMITTED_AT).isNotNull())
        .and(col(Facts.REQUEST_ZDR).isNotNull());
    return apiRows.join(perRequest, col("source_ref").equalTo(col(REQUEST_ID)), "left")
        .drop(REQUEST_ID)
        .withColumn(Facts.REQUEST_MATCHES, coalesce(col(Facts.REQUEST_MATCHES), lit(0L)))
        .withColumn(Facts.REQUEST_KNOWN, coalesce(known, lit(false)));
  }

  /**
   * Flags requests served by a fine-tuned model: a {@code model_id} listed in
   * {@code fine_tuned_models} (deleted or not, whatever its {@code created_at}), or one that
   * starts with {@code ft:} in any letter case.
   */
  static Dataset<Row> attachFineTunedModels(Dataset<Row> rows, Dataset<Row> models) {
    String modelId = Facts.PREFIX + "m_model_id";
    Dataset<Row> ids = models.filter(col("model_id").isNotNull()).select(col("model_id").as(modelId)).distinct();
    return rows.join(broadcast(ids), col(Facts.REQUEST_MODEL).equalTo(col(modelId)), "left")
        .withColumn(Facts.REQUEST_FINE_TUNED_MODEL, col(modelId).isNotNull()
            .or(coalesce(lower(col(Facts.REQUEST_MODEL)).startsWith("ft:"), lit(false))))
        .drop(modelId);
  }

  /**
   * Flags requests covered by a ZDR agreement of their organization: {@code effective_from} null
   * or at or before submission, {@code effective_to} null or after it, {@code endpoint} null or
   * equal. Agreements are gathered per organization and broadcast; the window test is a
   * higher-order Column expression, so several agreements never multiply rows.
   */
  static Dataset<Row> attachZdrAgreements(Dataset<Row> rows, Dataset<Row> agreements) {
    String org = Facts.PREFIX + "z_org_id";
    String list = Facts.PREFIX + "z_agreements";
    Dataset<Row> perOrg = agreements
        .groupBy(col("org_id").as(org))
        .agg(collect_list(struct(col("endpoint"), col("effective_from"), col("effective_to"))).as(list));
    Column submitted = col(Facts.REQUEST_SUBMITTED_AT);
    Column endpoint = col(Facts.REQUEST_ENDPOINT);
    return rows.join(broadcast(perOrg), col(Facts.REQUEST_ORG).equalTo(col(org)), "left")
        .withColumn(Facts.REQUEST_ZDR_AGREEMENT, coalesce(
            exists(col(list), agreement -> ConsentIntervals.covers(
                    agreement.getField("effective_from"), agreement.getField("effective_to"), submitted)
                .and(agreement.getField("endpoint").isNull().or(agreement.getField("endpoint").equalTo(endpoint)))),
            lit(false)))
        .drop(org, list);
  }

  /**
   * Attaches each scope's consent state at submission and at as_of: two broadcast range joins
   * against the {@link ConsentIntervals}, one on the organization scope, one on the project scope.
   */
  static Dataset<Row> attachConsent(Dataset<Row> rows, Dataset<Row> intervals) {
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
        .and(ConsentIntervals.covers(col(p + "from"), col(p + "to"), col(Facts.REQUEST_SUBMITTED_AT)));
    if (byProject) {
      on = on.and(col(Facts.REQUEST_PROJECT).equalTo(col(p + "project")));
    }
    String none = ConsentState.NONE.name();
    return rows.join(broadcast(renamed), on, "left")
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
    String uploadedAt = Facts.PREFIX + "f_uploaded_at";
    Dataset<Row> perFile = files
        .filter(col("file_id").isNotNull())
        .filter(col("uploaded_at").isNull().or(col("uploaded_at").leq(lit(Timestamp.from(asOf)))))
        .groupBy(col("file_id").as(fileId))
        .agg(count(lit(1)).as(Facts.FILE_MATCHES),
            first("org_id").as(Facts.FILE_ORG),
            first("uploaded_at").as(uploadedAt),
            first("deleted_at").as(Facts.FILE_DELETED_AT));
    Column on = FactConditions.kindIs(SourceKind.FINE_TUNE_FILE)
        .and(col("source_ref").equalTo(col(fileId)));
    Column known = col(Facts.FILE_MATCHES).equalTo(1)
        .and(FactConditions.present(col(Facts.FILE_ORG)))
        .and(col(uploadedAt).isNotNull());
    return rows.join(broadcast(perFile), on, "left")
        .withColumn(Facts.FILE_MATCHES, coalesce(col(Facts.FILE_MATCHES), lit(0L)))
        .withColumn(Facts.FILE_KNOWN, coalesce(known, lit(false)))
        .drop(fileId, uploadedAt);
  }

  /**
   * Attaches whether each {@code LICENSED} row's licence is valid: exactly one {@code licenses}
   * row with its id (licences have no recording time and are read whole), permitting training,
   * with {@code valid_from <= as_of < valid_to} ({@code valid_to} null: open; {@code valid_from}
   * or {@code permits_training} null: not valid).
   */
  static Dataset<Row> attachLicenses(Dataset<Row> rows, Dataset<Row> licenses, Instant asOf) {
    String licenseId = Facts.PREFIX + "l_license_id";
    String permits = Facts.PREFIX + "l_permits";
    String from = Facts.PREFIX + "l_from";
    String to = Facts.PREFIX + "l_to";
    Dataset<Row> perLicense = licenses
        .filter(col("license_id").isNotNull())
        .groupBy(col("license_id").as(licenseId))
        .agg(count(lit(1)).as(Facts.LICENSE_MATCHES),
            first("permits_training").as(permits),
            first("valid_from").as(from),
            first("valid_to").as(to));
    Column on = FactConditions.kindIs(SourceKind.LICENSED)
        .and(col("source_ref").equalTo(col(licenseId)));
    Column asOfLiteral = lit(Timestamp.from(asOf));
    Column valid = col(Facts.LICENSE_MATCHES).equalTo(1)
        .and(col(permits).eqNullSafe(lit(true)))
        .and(col(from).isNotNull())
        .and(col(from).leq(asOfLiteral))
        .and(col(to).isNull().or(asOfLiteral.lt(col(to))));
    return rows.join(broadcast(perLicense), on, "left")
        .withColumn(Facts.LICENSE_MATCHES, coalesce(col(Facts.LICENSE_MATCHES), lit(0L)))
        .withColumn(Facts.LICENSE_VALID, coalesce(valid, lit(false)))
        .drop(licenseId, permits, from, to);
  }
}
