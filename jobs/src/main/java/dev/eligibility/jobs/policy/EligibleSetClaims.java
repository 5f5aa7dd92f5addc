package dev.eligibility.jobs.policy;

import static dev.eligibility.jobs.policy.FactConditions.kindIs;
import static dev.eligibility.jobs.policy.FactConditions.isTrue;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.eligibility.jobs.spec.Purpose;
import java.sql.Timestamp;
import org.apache.spark.sql.Column;

/**
 * The negative claims a run makes about its eligible set, as conditions over a row's facts. Each
 * is written from the data-usage commitment directly, not from the rules' reasons, so counting
 * eligible rows that meet one checks the rules instead of repeating them: every count must be 0.
 */
public final class EligibleSetClaims {

  private EligibleSetClaims() {}

  /** API rows whose request has zdr = true or a covering ZDR agreement. */
  public static Column zeroDataRetention() {
    return kindIs(SourceKind.API).column().and(isTrue(Facts.REQUEST_ZDR).column().or(isTrue(Facts.REQUEST_ZDR_AGREEMENT).column()));
  }

  /** API rows sent to a never-retained endpoint. */
  public static Column nonRetainedEndpoint(RunContext run) {
    return kindIs(SourceKind.API).column()
        .and(col(Facts.REQUEST_ENDPOINT).isin(run.policy().nonRetainedEndpoints().toArray()).eqNullSafe(lit(true)));
  }

  /** Inference logs of fine-tuned models, and API rows served by one. */
  public static Column fineTunedModelIo() {
    return kindIs(SourceKind.FINE_TUNED_INFERENCE).column()
        .or(kindIs(SourceKind.API).column().and(isTrue(Facts.REQUEST_FINE_TUNED_MODEL).column()));
  }

  /**
   * Training-file rows that may not train this run: any in a BASE_MODEL run; in a FINE_TUNE run,
   * files not known, deleted at or before as_of, or owned by another organization.
   */
  public static Column deletedOrForeignFineTuneFile(RunContext run) {
    Column fileRow = kindIs(SourceKind.FINE_TUNE_FILE).column();
    if (run.purpose() == Purpose.BASE_MODEL) {
      return fileRow;
    }
    Column usable = isTrue(Facts.FILE_KNOWN).column()
        .and(col(Facts.FILE_ORG).eqNullSafe(lit(run.fineTuneOrgId().orElseThrow())))
        .and(col(Facts.FILE_DELETED_AT).isNull().or(col(Facts.FILE_DELETED_AT).gt(lit(Timestamp.from(run.asOf())))));
    return fileRow.and(org.apache.spark.sql.functions.not(usable));
  }

  /** API rows submitted at or after the cutoff without OPT_IN in effect both at submission and at as_of. */
  public static Column postCutoffWithoutOptIn(RunContext run) {
    String optIn = ConsentState.OPT_IN.name();
    Column optedIn = Definitions.consentAtSubmission().column()
        .equalTo(optIn)
        .and(Definitions.consentAtAsOf().column().equalTo(optIn));
    return kindIs(SourceKind.API).column()
        .and(col(Facts.REQUEST_SUBMITTED_AT).isNull().or(col(Facts.REQUEST_SUBMITTED_AT).geq(lit(Timestamp.from(run.policy().cutoff())))))
        .and(org.apache.spark.sql.functions.not(optedIn));
  }

  /**
   * The organization whose data a row is: its request's for API rows, its file owner's for
   * training-file rows; null when the request or file is not known (an ambiguous id's several
   * rows name no one organization) and for other rows.
   */
  public static Column organization() {
    return when(kindIs(SourceKind.API).column().and(col(Facts.REQUEST_KNOWN)), col(Facts.REQUEST_ORG))
        .when(kindIs(SourceKind.FINE_TUNE_FILE).column().and(col(Facts.FILE_KNOWN)), col(Facts.FILE_ORG));
  }

  /** The project whose data a row is: its known request's for API rows; null otherwise. */
  public static Column project() {
    return when(kindIs(SourceKind.API).column().and(col(Facts.REQUEST_KNOWN)), col(Facts.REQUEST_PROJECT));
  }
}
