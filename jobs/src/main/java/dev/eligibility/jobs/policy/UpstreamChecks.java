package dev.eligibility.jobs.policy;

import static dev.eligibility.jobs.policy.FactConditions.kindIs;
import static dev.eligibility.jobs.policy.FactConditions.isTrue;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Timestamp;
import org.apache.spark.sql.Column;

/**
 * Signs that an upstream system broke a promise (POLICY.md, "Upstream warnings"). They are
 * counted and reported, never reasons. They are counted over every {@code API} row whose request
 * is known, whatever its outcome: a duplicate that should never have been stored is still a
 * sign of a broken promise.
 */
public final class UpstreamChecks {

  /** Warning code: API data covered by ZDR or a non-retained endpoint was stored. */
  public static final String RETAINED_DESPITE_NO_RETENTION = "RETAINED_DESPITE_NO_RETENTION";
  /** Warning code: post-cutoff API data without opt-in outlived the abuse-monitoring window. */
  public static final String NOT_DELETED_AFTER_RETENTION = "NOT_DELETED_AFTER_RETENTION";
  /** Warning code: consent events that cannot be read; their organizations are treated as opted out. */
  public static final String MALFORMED_CONSENT_EVENTS = "MALFORMED_CONSENT_EVENTS";

  private UpstreamChecks() {}

  /** API rows covered by ZDR ({@code zdr = true} or an agreement) or sent to a non-retained endpoint. */
  public static Column retainedDespiteNoRetention(RunContext run) {
    return knownApiRequest()
        .and(isTrue(Facts.REQUEST_ZDR).column()
            .or(isTrue(Facts.REQUEST_ZDR_AGREEMENT).column())
            .or(col(Facts.REQUEST_ENDPOINT).isin(run.policy().nonRetainedEndpoints().toArray())));
  }

  /**
   * API rows submitted at or after the cutoff, without {@code OPT_IN} in effect at submission,
   * and older than the abuse-monitoring retention at as_of ({@code submitted_at < as_of - 30 × 24 h}).
   */
  public static Column notDeletedAfterRetention(RunContext run) {
    Timestamp cutoff = Timestamp.from(run.policy().cutoff());
    Timestamp oldest = Timestamp.from(run.asOf().minus(run.policy().abuseMonitoringRetention()));
    Column submitted = col(Facts.REQUEST_SUBMITTED_AT);
    return knownApiRequest()
        .and(submitted.geq(lit(cutoff)))
        .and(Definitions.consentAtSubmission().column()
            .notEqual(ConsentState.OPT_IN.name()))
        .and(submitted.lt(lit(oldest)));
  }

  /** One-line descriptions, for the run record. */
  public static String describe(String code) {
    return switch (code) {
      case RETAINED_DESPITE_NO_RETENTION ->
          "API rows covered by zero data retention or sent to a non-retained endpoint were stored upstream";
      case NOT_DELETED_AFTER_RETENTION ->
          "API rows submitted at or after the cutoff, not opted in, are older than the abuse-monitoring"
              + " retention at as_of and should have been deleted upstream";
      case MALFORMED_CONSENT_EVENTS ->
          "consent events visible at as_of with a null or unknown decision, or a null effective_at or"
              + " recorded_at; their organizations are treated as OPT_OUT at every instant (rows counted"
              + " are consent events)";
      default -> throw new IllegalArgumentException("unknown warning " + code);
    };
  }

  private static Column knownApiRequest() {
    return kindIs(SourceKind.API).column().and(isTrue(Facts.REQUEST_KNOWN).column());
  }
}
