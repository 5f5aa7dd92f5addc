package dev.eligibility.jobs.policy;

import static dev.eligibility.jobs.policy.Term.field;
import static dev.eligibility.jobs.policy.Term.value;

import java.time.Instant;
import java.util.List;

/**
 * The definitions the rules rest on, each written once, as {@link Term}s over named fields: the
 * engine evaluates them as Spark columns when it reduces reference tables to facts, and
 * {@code explain}, the verifier and the tests evaluate the same terms over plain rows.
 *
 * <p>Each definition names the fields it reads; where a definition is about a reference row it
 * reads that table's own columns (a consent event's {@code decision}), where it is about a
 * reduced reference (a request with its match count) it reads the {@link Facts} the engine
 * attaches.
 */
public final class Definitions {

  private Definitions() {}

  /** Non-null and non-empty: the policy's "present". */
  public static Term present(Term value) {
    return value.isNotNull().and(value.notEqual(value("")));
  }

  /**
   * Visible at {@code asOf}: a reference row whose time ({@code submitted_at},
   * {@code uploaded_at}, {@code recorded_at}) is at or before {@code asOf}. A null time cannot
   * show the row invisible, so the row counts (and cannot be known, where the time is required).
   */
  public static Term visibleAt(Term time, Instant asOf) {
    return time.isNull().or(time.leq(value(asOf)));
  }

  /** True when {@code instant} lies in {@code [from, to)}; a null end is open. */
  public static Term covers(Term from, Term to, Term instant) {
    return from.isNull().or(from.leq(instant)).and(to.isNull().or(instant.lt(to)));
  }

  /**
   * A known request: exactly one {@code api_requests} row with its id visible at as_of, with an
   * organization, a channel {@code API} or {@code PLAYGROUND}, an endpoint, a submission time and
   * a {@code zdr} flag. Reads the request facts ({@link Facts#REQUEST_MATCHES} and the fields).
   */
  public static Term knownRequest() {
    return field(Facts.REQUEST_MATCHES).equalTo(value(1L))
        .and(present(field(Facts.REQUEST_ORG)))
        .and(field(Facts.REQUEST_CHANNEL).isin(List.of("API", "PLAYGROUND")))
        .and(present(field(Facts.REQUEST_ENDPOINT)))
        .and(field(Facts.REQUEST_SUBMITTED_AT).isNotNull())
        .and(field(Facts.REQUEST_ZDR).isNotNull());
  }

  /**
   * A request served by a fine-tuned model: its {@code model_id} is listed in
   * {@code fine_tuned_models} ({@link Facts#REQUEST_MODEL_LISTED}, whatever the model's own times),
   * or starts with {@code ft:} in any letter case.
   */
  public static Term fineTunedModel() {
    return Term.coalesce(field(Facts.REQUEST_MODEL_LISTED), value(false))
        .or(Term.coalesce(field(Facts.REQUEST_MODEL).startsWithIgnoringCase("ft:"), value(false)));
  }

  /**
   * A ZDR agreement covers a request: its window {@code [effective_from, effective_to)} holds the
   * submission and its endpoint is null (all endpoints) or the request's.
   */
  public static Term zdrAgreementCovers(Term effectiveFrom, Term effectiveTo, Term agreementEndpoint) {
    return covers(effectiveFrom, effectiveTo, field(Facts.REQUEST_SUBMITTED_AT))
        .and(agreementEndpoint.isNull().or(agreementEndpoint.equalTo(field(Facts.REQUEST_ENDPOINT))));
  }

  /**
   * A known training file: exactly one {@code fine_tune_files} row with its id visible at as_of,
   * with an organization and an upload time.
   */
  public static Term knownFile() {
    return field(Facts.FILE_MATCHES).equalTo(value(1L))
        .and(present(field(Facts.FILE_ORG)))
        .and(field(Facts.FILE_UPLOADED_AT).isNotNull());
  }

  /**
   * A valid licence at {@code asOf}: exactly one {@code licenses} row with its id, permitting
   * training, with {@code valid_from <= asOf < valid_to} ({@code valid_to} null: open;
   * {@code valid_from} or {@code permits_training} null: not valid).
   */
  public static Term validLicence(Instant asOf) {
    Term from = field(Facts.LICENSE_VALID_FROM);
    Term to = field(Facts.LICENSE_VALID_TO);
    return field(Facts.LICENSE_MATCHES).equalTo(value(1L))
        .and(field(Facts.LICENSE_PERMITS).eqNullSafe(value(true)))
        .and(from.isNotNull())
        .and(from.leq(value(asOf)))
        .and(to.isNull().or(value(asOf).lt(to)));
  }

  /**
   * A consent event that cannot be read, and so makes its organization opt out: a null or unknown
   * {@code decision}, or a null {@code effective_at} or {@code recorded_at}.
   */
  public static Term malformedConsentEvent() {
    Term decision = field("decision");
    return decision.isNull()
        .or(Term.coalesce(decision.isin(ConsentState.decisions()), value(false)).negated())
        .or(field("effective_at").isNull())
        .or(field("recorded_at").isNull());
  }

  /**
   * The combined consent state (deny overrides): {@code OPT_OUT} if either scope is
   * {@code OPT_OUT}, else {@code OPT_IN} if either is {@code OPT_IN}, else {@code NONE}.
   */
  public static Term combinedConsent(String orgScopeField, String projectScopeField) {
    Term none = value(ConsentState.NONE.name());
    Term org = Term.coalesce(field(orgScopeField), none);
    Term project = Term.coalesce(field(projectScopeField), none);
    Term optOut = value(ConsentState.OPT_OUT.name());
    Term optIn = value(ConsentState.OPT_IN.name());
    return Term.when(org.equalTo(optOut).or(project.equalTo(optOut)), optOut,
        Term.when(org.equalTo(optIn).or(project.equalTo(optIn)), optIn, none));
  }

  /** The combined consent at the request's submission. */
  public static Term consentAtSubmission() {
    return combinedConsent(Facts.CONSENT_ORG_AT_SUBMISSION, Facts.CONSENT_PROJECT_AT_SUBMISSION);
  }

  /** The combined consent at the run's as_of. */
  public static Term consentAtAsOf() {
    return combinedConsent(Facts.CONSENT_ORG_AT_AS_OF, Facts.CONSENT_PROJECT_AT_AS_OF);
  }
}
