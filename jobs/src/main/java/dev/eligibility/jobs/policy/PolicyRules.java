package dev.eligibility.jobs.policy;

import static dev.eligibility.jobs.policy.FactConditions.not;
import static dev.eligibility.jobs.policy.FactConditions.kindIs;
import static dev.eligibility.jobs.policy.FactConditions.isTrue;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.eligibility.jobs.spec.Purpose;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Column;

/**
 * The fourteen rules of POLICY.md, in its order, bound to one run's context.
 *
 * <p>Every condition is explicit about kind and purpose and reads only facts that are decided for
 * the rows it concerns (a request's fields only when the request is known, a file's only when the
 * file is known), so that the list of every applying reason is meaningful, not only the first.
 *
 * <p>Example: an {@code API} row submitted on 2023-03-01T00:00:00Z (exactly the cutoff) whose
 * organization opted in with effect from that same instant passes {@link Reason#NO_OPT_IN},
 * because an event is in effect at {@code t} when {@code effective_at <= t}.
 */
public final class PolicyRules {

  private PolicyRules() {}

  /** The rules for a run, in policy order. */
  public static List<EligibilityRule> forRun(RunContext run) {
    PolicyParameters policy = run.policy();
    Timestamp asOf = Timestamp.from(run.asOf());
    Timestamp cutoff = Timestamp.from(policy.cutoff());
    boolean fineTuneRun = run.purpose() == Purpose.FINE_TUNE;

    Column recordId = col("record_id");
    Column api = kindIs(SourceKind.API);
    Column fileRow = kindIs(SourceKind.FINE_TUNE_FILE);
    Column knownRequest = api.and(isTrue(Facts.REQUEST_KNOWN));
    Column knownFile = fileRow.and(isTrue(Facts.FILE_KNOWN));
    Column submittedAt = col(Facts.REQUEST_SUBMITTED_AT);
    Column beforeCutoff = submittedAt.lt(lit(cutoff));
    Column atSubmission = combined(Facts.CONSENT_ORG_AT_SUBMISSION, Facts.CONSENT_PROJECT_AT_SUBMISSION);
    Column atAsOf = combined(Facts.CONSENT_ORG_AT_AS_OF, Facts.CONSENT_PROJECT_AT_AS_OF);

    return List.of(
        new EligibilityRule(Reason.INVALID_RECORD,
            recordId.isNull().or(recordId.equalTo(""))
                .or(not(col("source_kind").isin(SourceKind.names().toArray())))),
        new EligibilityRule(Reason.DUPLICATE_RECORD_ID,
            coalesce(col(Facts.ID_OCCURRENCES).gt(1), lit(false))),
        new EligibilityRule(Reason.OUT_OF_POLICY_SCOPE,
            kindIs(SourceKind.CONSUMER_APP)),
        new EligibilityRule(Reason.NOT_RUN_ORG_DATA,
            lit(fineTuneRun).and(not(fileRow).or(knownFile.and(
                not(col(Facts.FILE_ORG).equalTo(lit(run.fineTuneOrgId().orElse("")))))))),
        new EligibilityRule(Reason.FINE_TUNE_DATA_ISOLATED,
            lit(!fineTuneRun).and(fileRow)),
        new EligibilityRule(Reason.NO_PROVENANCE,
            api.and(not(isTrue(Facts.REQUEST_KNOWN)))
                .or(lit(fineTuneRun).and(fileRow).and(not(isTrue(Facts.FILE_KNOWN))))),
        new EligibilityRule(Reason.FINE_TUNED_MODEL_IO,
            kindIs(SourceKind.FINE_TUNED_INFERENCE)
                .or(knownRequest.and(isTrue(Facts.REQUEST_FINE_TUNED_MODEL)))),
        new EligibilityRule(Reason.ZERO_DATA_RETENTION,
            knownRequest.and(isTrue(Facts.REQUEST_ZDR).or(isTrue(Facts.REQUEST_ZDR_AGREEMENT)))),
        new EligibilityRule(Reason.NON_RETAINED_ENDPOINT,
            knownRequest.and(col(Facts.REQUEST_ENDPOINT).isin(policy.nonRetainedEndpoints().toArray()))),
        new EligibilityRule(Reason.ORG_OPTED_OUT,
            knownRequest.and(beforeCutoff).and(atAsOf.equalTo(ConsentState.OPT_OUT.name()))),
        new EligibilityRule(Reason.NO_OPT_IN,
            knownRequest.and(not(beforeCutoff)).and(atSubmission.notEqual(ConsentState.OPT_IN.name()))),
        new EligibilityRule(Reason.OPT_IN_REVOKED,
            knownRequest.and(not(beforeCutoff))
                .and(atSubmission.equalTo(ConsentState.OPT_IN.name()))
                .and(atAsOf.equalTo(ConsentState.OPT_OUT.name()))),
        new EligibilityRule(Reason.FILE_DELETED,
            lit(fineTuneRun).and(knownFile).and(coalesce(col(Facts.FILE_DELETED_AT).leq(lit(asOf)), lit(false)))),
        new EligibilityRule(Reason.LICENSE_NOT_VALID,
            kindIs(SourceKind.LICENSED).and(not(isTrue(Facts.LICENSE_VALID)))));
  }

  /**
   * The combined consent state (deny overrides): {@code OPT_OUT} if either scope is
   * {@code OPT_OUT}, else {@code OPT_IN} if either is {@code OPT_IN}, else {@code NONE}.
   */
  public static Column combined(String orgScopeColumn, String projectScopeColumn) {
    Column org = coalesce(col(orgScopeColumn), lit(ConsentState.NONE.name()));
    Column project = coalesce(col(projectScopeColumn), lit(ConsentState.NONE.name()));
    String optOut = ConsentState.OPT_OUT.name();
    String optIn = ConsentState.OPT_IN.name();
    return when(org.equalTo(optOut).or(project.equalTo(optOut)), lit(optOut))
        .when(org.equalTo(optIn).or(project.equalTo(optIn)), lit(optIn))
        .otherwise(lit(ConsentState.NONE.name()));
  }
}
