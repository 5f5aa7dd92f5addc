package dev.eligibility.jobs.policy;

import static dev.eligibility.jobs.policy.FactConditions.isTrue;
import static dev.eligibility.jobs.policy.FactConditions.kindIs;
import static dev.eligibility.jobs.policy.FactConditions.not;
import static dev.eligibility.jobs.policy.Term.field;
import static dev.eligibility.jobs.policy.Term.value;

import dev.eligibility.jobs.spec.Purpose;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
    Instant asOf = run.asOf();
    boolean fineTuneRun = run.purpose() == Purpose.FINE_TUNE;
    Term fineTune = value(fineTuneRun);

    Term recordId = field("record_id");
    Term api = kindIs(SourceKind.API);
    Term fileRow = kindIs(SourceKind.FINE_TUNE_FILE);
    Term knownRequest = api.and(isTrue(Facts.REQUEST_KNOWN));
    Term knownFile = fileRow.and(isTrue(Facts.FILE_KNOWN));
    Term beforeCutoff = field(Facts.REQUEST_SUBMITTED_AT).lt(value(policy.cutoff()));
    Term atSubmission = Definitions.consentAtSubmission();
    Term atAsOf = Definitions.consentAtAsOf();
    Term optIn = value(ConsentState.OPT_IN.name());
    Term optOut = value(ConsentState.OPT_OUT.name());

    return List.of(
        new EligibilityRule(Reason.INVALID_RECORD,
            not(Definitions.present(recordId)).or(not(field("source_kind").isin(SourceKind.names())))),
        new EligibilityRule(Reason.DUPLICATE_RECORD_ID,
            Term.coalesce(field(Facts.ID_OCCURRENCES).gt(value(1L)), value(false))),
        new EligibilityRule(Reason.OUT_OF_POLICY_SCOPE,
            kindIs(SourceKind.CONSUMER_APP)),
        new EligibilityRule(Reason.NOT_RUN_ORG_DATA,
            fineTune.and(not(fileRow).or(knownFile.and(
                not(field(Facts.FILE_ORG).equalTo(value(run.fineTuneOrgId().orElse("")))))))),
        new EligibilityRule(Reason.FINE_TUNE_DATA_ISOLATED,
            value(!fineTuneRun).and(fileRow)),
        new EligibilityRule(Reason.NO_PROVENANCE,
            api.and(not(isTrue(Facts.REQUEST_KNOWN)))
                .or(fineTune.and(fileRow).and(not(isTrue(Facts.FILE_KNOWN))))),
        new EligibilityRule(Reason.FINE_TUNED_MODEL_IO,
            kindIs(SourceKind.FINE_TUNED_INFERENCE)
                .or(knownRequest.and(isTrue(Facts.REQUEST_FINE_TUNED_MODEL)))),
        new EligibilityRule(Reason.ZERO_DATA_RETENTION,
            knownRequest.and(isTrue(Facts.REQUEST_ZDR).or(isTrue(Facts.REQUEST_ZDR_AGREEMENT)))),
        new EligibilityRule(Reason.NON_RETAINED_ENDPOINT,
            knownRequest.and(field(Facts.REQUEST_ENDPOINT).isin(policy.nonRetainedEndpoints()))),
        new EligibilityRule(Reason.ORG_OPTED_OUT,
            knownRequest.and(beforeCutoff).and(atAsOf.equalTo(optOut))),
        new EligibilityRule(Reason.NO_OPT_IN,
            knownRequest.and(not(beforeCutoff)).and(atSubmission.notEqual(optIn))),
        new EligibilityRule(Reason.OPT_IN_REVOKED,
            knownRequest.and(not(beforeCutoff))
                .and(atSubmission.equalTo(optIn))
                .and(atAsOf.equalTo(optOut))),
        new EligibilityRule(Reason.FILE_DELETED,
            fineTune.and(knownFile)
                .and(Term.coalesce(field(Facts.FILE_DELETED_AT).leq(value(asOf)), value(false)))),
        new EligibilityRule(Reason.LICENSE_NOT_VALID,
            kindIs(SourceKind.LICENSED).and(not(isTrue(Facts.LICENSE_VALID)))));
  }

  /**
   * Every reason that applies to one row, in policy order, evaluating the rules' plain form over
   * the row's fields and facts (as {@link Facts} names them); empty for an eligible row.
   */
  public static List<Reason> reasons(List<EligibilityRule> rules, Map<String, ?> row) {
    List<Reason> applying = new ArrayList<>();
    for (EligibilityRule rule : rules) {
      if (rule.appliesTo(row)) {
        applying.add(rule.reason());
      }
    }
    return applying;
  }
}
