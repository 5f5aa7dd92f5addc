package dev.eligibility.jobs.policy;

import static dev.eligibility.jobs.testing.Judge.AS_OF;
import static dev.eligibility.jobs.testing.Judge.CUTOFF;
import static dev.eligibility.jobs.testing.Judge.baseModel;
import static dev.eligibility.jobs.testing.Judge.decide;
import static dev.eligibility.jobs.testing.Judge.fineTune;
import static dev.eligibility.jobs.testing.Judge.reasonOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.testing.Judge.Outcome;
import dev.eligibility.jobs.testing.World;
import dev.eligibility.jobs.testing.World.Candidate;
import dev.eligibility.jobs.testing.World.Consent;
import dev.eligibility.jobs.testing.World.License;
import dev.eligibility.jobs.testing.World.Model;
import dev.eligibility.jobs.testing.World.Request;
import dev.eligibility.jobs.testing.World.TrainingFile;
import dev.eligibility.jobs.testing.World.Zdr;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Each rule of POLICY.md with an including and an excluding case, and the boundaries the policy
 * spells out. Cases run through the Spark engine itself.
 */
class PolicyRulesTest {

  static final Instant BEFORE_CUTOFF = CUTOFF.minus(Duration.ofDays(30));
  static final Instant AFTER_CUTOFF = CUTOFF.plus(Duration.ofDays(30));
  static final Instant ONE_MICRO_BEFORE_CUTOFF = CUTOFF.minusNanos(1000);

  static Candidate api(String recordId, String requestId) {
    return Candidate.of(recordId, "API", requestId);
  }

  static Consent optIn(String org, Instant effective) {
    return Consent.of(org, "OPT_IN", effective, effective);
  }

  static Consent optOut(String org, Instant effective) {
    return Consent.of(org, "OPT_OUT", effective, effective);
  }

  /** An API row after the cutoff whose organization opted in long ago: eligible unless a rule says otherwise. */
  static World optedInApi(Request request) {
    return World.empty()
        .with(api("rec", request.requestId()))
        .with(request)
        .with(optIn(request.orgId(), BEFORE_CUTOFF.minus(Duration.ofDays(365))));
  }

  @Nested
  class InvalidRecord {
    @Test
    void nullEmptyAndUnknownKindsAreInvalidAndValidKindsAreNot() {
      World world = World.empty()
          .with(Candidate.of(null, "PUBLIC_WEB", null).number(1))
          .with(Candidate.of("", "PUBLIC_WEB", null).number(2))
          .with(Candidate.of("no-kind", null, null))
          .with(Candidate.of("lower-kind", "public_web", null))
          .with(Candidate.of("padded-kind", "PUBLIC_WEB ", null))
          .with(Candidate.of("web", "PUBLIC_WEB", null))
          .with(Candidate.of("reviewer", "HUMAN_REVIEWER", null));
      List<org.apache.spark.sql.Row> rows = dev.eligibility.jobs.testing.Judge.decisions(world, baseModel(AS_OF))
          .orderBy("row_no").collectAsList();
      assertThat(rows).filteredOn(r -> r.get(1) == null || r.getString(1).isEmpty())
          .extracting(r -> r.getString(3)).containsExactly("INVALID_RECORD", "INVALID_RECORD");
      Map<String, Outcome> outcomes = decide(world.withoutNullIds(), baseModel(AS_OF));
      assertThat(outcomes.get("no-kind").reason()).isEqualTo("INVALID_RECORD");
      assertThat(outcomes.get("lower-kind").reason()).isEqualTo("INVALID_RECORD");
      assertThat(outcomes.get("padded-kind").reason()).isEqualTo("INVALID_RECORD");
      assertThat(outcomes.get("web").reason()).isEqualTo("ELIGIBLE");
      assertThat(outcomes.get("reviewer").reason()).isEqualTo("ELIGIBLE");
    }
  }

  @Nested
  class DuplicateRecordId {
    @Test
    void everyCopyOfAnIdRepeatedAcrossInputsIsExcludedAndUniqueIdsAreNot() {
      World world = World.empty()
          .with(Candidate.of("dup", "PUBLIC_WEB", null).in("a").number(1))
          .with(Candidate.of("dup", "PUBLIC_WEB", null).in("b").number(2))
          .with(Candidate.of("unique", "PUBLIC_WEB", null).in("b").number(3));
      List<org.apache.spark.sql.Row> rows = dev.eligibility.jobs.testing.Judge.decisions(world, baseModel(AS_OF))
          .orderBy("row_no").collectAsList();
      assertThat(rows).extracting(r -> r.getString(3))
          .containsExactly("DUPLICATE_RECORD_ID", "DUPLICATE_RECORD_ID", "ELIGIBLE");
    }

    @Test
    void invalidCopiesCountAsDuplicatesButEmptyIdsDoNot() {
      World world = World.empty()
          .with(Candidate.of("dup", "PUBLIC_WEB", null).number(1))
          .with(Candidate.of("dup", "NOT_A_KIND", null).number(2))
          .with(Candidate.of("", "PUBLIC_WEB", null).number(3))
          .with(Candidate.of("", "PUBLIC_WEB", null).number(4));
      List<org.apache.spark.sql.Row> rows = dev.eligibility.jobs.testing.Judge.decisions(world, baseModel(AS_OF))
          .orderBy("row_no").collectAsList();
      assertThat(rows).extracting(r -> r.getString(3))
          .containsExactly("DUPLICATE_RECORD_ID", "INVALID_RECORD", "INVALID_RECORD", "INVALID_RECORD");
      assertThat(rows.get(1).<String>getList(4)).containsExactly("INVALID_RECORD", "DUPLICATE_RECORD_ID");
      assertThat(rows.get(2).<String>getList(4)).containsExactly("INVALID_RECORD");
    }
  }

  @Nested
  class OutOfPolicyScope {
    @Test
    void consumerAppRowsAreOutOfScopeInEveryRunAndOtherKindsAreNot() {
      World world = World.empty()
          .with(Candidate.of("chat", "CONSUMER_APP", null))
          .with(Candidate.of("web", "PUBLIC_WEB", null));
      assertThat(decide(world, baseModel(AS_OF)).get("chat").reason()).isEqualTo("OUT_OF_POLICY_SCOPE");
      assertThat(decide(world, baseModel(AS_OF)).get("web").reason()).isEqualTo("ELIGIBLE");
      assertThat(reasonOf(world, fineTune("org-a", AS_OF), "chat")).isEqualTo("OUT_OF_POLICY_SCOPE");
    }
  }

  @Nested
  class FineTuneRuns {
    final Instant uploaded = AS_OF.minus(Duration.ofDays(10));

    World files() {
      return World.empty()
          .with(new TrainingFile("file-a", "org-a", uploaded, null))
          .with(new TrainingFile("file-b", "org-b", uploaded, null))
          .with(new TrainingFile("file-twice", "org-a", uploaded, null))
          .with(new TrainingFile("file-twice", "org-a", uploaded, null))
          .with(new TrainingFile("file-later", "org-a", AS_OF.plusSeconds(1), null))
          .with(new TrainingFile("file-at-as-of", "org-a", AS_OF, null))
          .with(new TrainingFile("file-no-org", null, uploaded, null))
          .with(new TrainingFile("file-empty-org", "", uploaded, null))
          .with(new TrainingFile("file-no-upload-time", "org-a", null, null))
          .with(new TrainingFile("file-deleted-before", "org-a", uploaded, AS_OF.minusSeconds(1)))
          .with(new TrainingFile("file-deleted-at", "org-a", uploaded, AS_OF))
          .with(new TrainingFile("file-deleted-after", "org-a", uploaded, AS_OF.plusNanos(1000)))
          .with(new TrainingFile("file-b-deleted", "org-b", uploaded, AS_OF.minusSeconds(1)));
    }

    Candidate file(String recordId, String fileId) {
      return Candidate.of(recordId, "FINE_TUNE_FILE", fileId);
    }

    @Test
    void onlyTheRunOrganizationsKnownUndeletedFilesAreEligible() {
      World world = files()
          .with(file("own", "file-a"))
          .with(file("own-visible-exactly-at-as-of", "file-at-as-of"))
          .with(file("foreign", "file-b"))
          .with(file("foreign-and-deleted", "file-b-deleted"))
          .with(Candidate.of("web", "PUBLIC_WEB", null))
          .with(api("api", "req"))
          .with(Candidate.of("licensed", "LICENSED", "lic"));
      Map<String, Outcome> outcomes = decide(world, fineTune("org-a", AS_OF));
      assertThat(outcomes.get("own").reason()).isEqualTo("ELIGIBLE");
      assertThat(outcomes.get("own-visible-exactly-at-as-of").reason()).isEqualTo("ELIGIBLE");
      assertThat(outcomes.get("foreign").reason()).isEqualTo("NOT_RUN_ORG_DATA");
      assertThat(outcomes.get("foreign-and-deleted").reason()).isEqualTo("NOT_RUN_ORG_DATA");
      assertThat(outcomes.get("web").reason()).isEqualTo("NOT_RUN_ORG_DATA");
      assertThat(outcomes.get("api").reason()).isEqualTo("NOT_RUN_ORG_DATA");
      assertThat(outcomes.get("licensed").reason()).isEqualTo("NOT_RUN_ORG_DATA");
    }

    @Test
    void unknownAmbiguousLaterAndOwnerlessFilesHaveNoProvenance() {
      World world = files()
          .with(file("unknown", "file-nowhere"))
          .with(file("null-ref", null))
          .with(file("ambiguous", "file-twice"))
          .with(file("uploaded-after-as-of", "file-later"))
          .with(file("no-org", "file-no-org"))
          .with(file("empty-org", "file-empty-org"))
          .with(file("no-upload-time", "file-no-upload-time"));
      Map<String, Outcome> outcomes = decide(world, fineTune("org-a", AS_OF));
      assertThat(outcomes).allSatisfy((id, outcome) -> assertThat(outcome.reason()).as(id).isEqualTo("NO_PROVENANCE"));
    }

    @Test
    void filesDeletedAtOrBeforeAsOfAreDeletedAndLaterDeletionsAreNot() {
      World world = files()
          .with(file("before", "file-deleted-before"))
          .with(file("at", "file-deleted-at"))
          .with(file("after", "file-deleted-after"));
      Map<String, Outcome> outcomes = decide(world, fineTune("org-a", AS_OF));
      assertThat(outcomes.get("before").reason()).isEqualTo("FILE_DELETED");
      assertThat(outcomes.get("at").reason()).isEqualTo("FILE_DELETED");
      assertThat(outcomes.get("after").reason()).isEqualTo("ELIGIBLE");
    }

    @Test
    void baseModelRunsIsolateEveryFineTuneFileEvenTheKnownOnes() {
      World world = files()
          .with(file("known", "file-a"))
          .with(file("unknown", "file-nowhere"))
          .with(Candidate.of("web", "PUBLIC_WEB", null));
      Map<String, Outcome> outcomes = decide(world, baseModel(AS_OF));
      assertThat(outcomes.get("known").reason()).isEqualTo("FINE_TUNE_DATA_ISOLATED");
      assertThat(outcomes.get("unknown").reason()).isEqualTo("FINE_TUNE_DATA_ISOLATED");
      assertThat(outcomes.get("web").reason()).isEqualTo("ELIGIBLE");
    }
  }

  @Nested
  class ApiProvenance {
    final Instant submitted = AFTER_CUTOFF;

    @Test
    void aKnownOptedInRequestIsEligible() {
      assertThat(reasonOf(optedInApi(Request.of("req", "org", submitted)), baseModel(AS_OF), "rec"))
          .isEqualTo("ELIGIBLE");
    }

    @Test
    void playgroundIsAKnownChannel() {
      assertThat(reasonOf(optedInApi(Request.of("req", "org", submitted).channel("PLAYGROUND")), baseModel(AS_OF), "rec"))
          .isEqualTo("ELIGIBLE");
    }

    @Test
    void requestsWithABadRequiredFieldAreNotKnown() {
      for (Request bad : List.of(
          Request.of("req", null, submitted),
          Request.of("req", "", submitted),
          Request.of("req", "org", submitted).channel("api"),
          Request.of("req", "org", submitted).channel("BATCH"),
          Request.of("req", "org", submitted).channel(null),
          Request.of("req", "org", submitted).endpoint(null),
          Request.of("req", "org", submitted).endpoint(""),
          Request.of("req", "org", submitted).zdr(null),
          Request.of("req", "org", null))) {
        assertThat(reasonOf(optedInApi(bad), baseModel(AS_OF), "rec")).as(bad.toString()).isEqualTo("NO_PROVENANCE");
      }
    }

    @Test
    void missingNullAndDuplicatedRequestIdsAreNotKnown() {
      World world = World.empty()
          .with(api("no-match", "req-nowhere"))
          .with(api("null-ref", null))
          .with(api("dup", "req-dup"))
          .with(Request.of("req-dup", "org", submitted), Request.of("req-dup", "org", submitted))
          .with(optIn("org", BEFORE_CUTOFF));
      Map<String, Outcome> outcomes = decide(world, baseModel(AS_OF));
      assertThat(outcomes).allSatisfy((id, outcome) -> assertThat(outcome.reason()).as(id).isEqualTo("NO_PROVENANCE"));
    }

    @Test
    void requestsSubmittedAfterAsOfDoNotExistForTheRun() {
      World world = World.empty()
          .with(api("later", "req-later"))
          .with(api("at-as-of", "req-at"))
          .with(Request.of("req-later", "org", AS_OF.plusNanos(1000)), Request.of("req-at", "org", AS_OF))
          .with(optIn("org", BEFORE_CUTOFF));
      Map<String, Outcome> outcomes = decide(world, baseModel(AS_OF));
      assertThat(outcomes.get("later").reason()).isEqualTo("NO_PROVENANCE");
      assertThat(outcomes.get("at-as-of").reason()).isEqualTo("ELIGIBLE");
    }

    @Test
    void aSecondCopyAfterAsOfDoesNotMakeARequestAmbiguousButACopyWithoutTimeDoes() {
      World world = World.empty()
          .with(api("copy-later", "req-a"))
          .with(api("copy-untimed", "req-b"))
          .with(Request.of("req-a", "org", submitted), Request.of("req-a", "org", AS_OF.plusSeconds(60)))
          .with(Request.of("req-b", "org", submitted), Request.of("req-b", "org", null))
          .with(optIn("org", BEFORE_CUTOFF));
      Map<String, Outcome> outcomes = decide(world, baseModel(AS_OF));
      assertThat(outcomes.get("copy-later").reason()).isEqualTo("ELIGIBLE");
      assertThat(outcomes.get("copy-untimed").reason()).isEqualTo("NO_PROVENANCE");
    }
  }

  @Nested
  class FineTunedModelIo {
    @Test
    void fineTunedInferenceRowsAreExcluded() {
      World world = World.empty().with(Candidate.of("inf", "FINE_TUNED_INFERENCE", "whatever"));
      assertThat(reasonOf(world, baseModel(AS_OF), "inf")).isEqualTo("FINE_TUNED_MODEL_IO");
    }

    @Test
    void requestsServedByAFineTunedModelAreExcludedByTableOrPrefixInAnyCase() {
      Request base = Request.of("req", "org", AFTER_CUTOFF);
      Model deletedLater = new Model("my-model", "org", AS_OF.plusSeconds(5), AS_OF.minusSeconds(5));
      for (Request request : List.of(base.model("my-model"), base.model("ft:gpt:org:1"), base.model("FT:gpt"),
          base.model("Ft:x"))) {
        World world = optedInApi(request).with(deletedLater);
        assertThat(reasonOf(world, baseModel(AS_OF), "rec")).as(request.modelId()).isEqualTo("FINE_TUNED_MODEL_IO");
      }
    }

    @Test
    void otherModelsAndModelsWithoutIdAreNotFineTuned() {
      Request base = Request.of("req", "org", AFTER_CUTOFF);
      Model nullId = new Model(null, "org", BEFORE_CUTOFF, null);
      for (Request request : List.of(base.model("gpt-ft:x"), base.model(null), base.model("my-model "))) {
        World world = optedInApi(request).with(nullId).with(new Model("my-model", "org", BEFORE_CUTOFF, null));
        assertThat(reasonOf(world, baseModel(AS_OF), "rec")).as(String.valueOf(request.modelId())).isEqualTo("ELIGIBLE");
      }
    }
  }

  @Nested
  class ZeroDataRetention {
    final Instant submitted = AFTER_CUTOFF;
    final Request request = Request.of("req", "org", submitted);

    @Test
    void requestsFlaggedZdrAreExcluded() {
      assertThat(reasonOf(optedInApi(request.zdr(true)), baseModel(AS_OF), "rec")).isEqualTo("ZERO_DATA_RETENTION");
      assertThat(reasonOf(optedInApi(request.zdr(false)), baseModel(AS_OF), "rec")).isEqualTo("ELIGIBLE");
    }

    @Test
    void agreementWindowIncludesItsStartAndExcludesItsEnd() {
      assertThat(withAgreement(new Zdr("org", null, submitted, null))).isEqualTo("ZERO_DATA_RETENTION");
      assertThat(withAgreement(new Zdr("org", null, submitted.plusNanos(1000), null))).isEqualTo("ELIGIBLE");
      assertThat(withAgreement(new Zdr("org", null, BEFORE_CUTOFF, submitted))).isEqualTo("ELIGIBLE");
      assertThat(withAgreement(new Zdr("org", null, BEFORE_CUTOFF, submitted.plusNanos(1000))))
          .isEqualTo("ZERO_DATA_RETENTION");
      assertThat(withAgreement(new Zdr("org", null, null, submitted.plusSeconds(1)))).isEqualTo("ZERO_DATA_RETENTION");
      assertThat(withAgreement(new Zdr("org", null, null, submitted))).isEqualTo("ELIGIBLE");
    }

    @Test
    void endpointSpecificAgreementsCoverOnlyTheirEndpoint() {
      assertThat(withAgreement(new Zdr("org", "/v1/chat/completions", BEFORE_CUTOFF, null)))
          .isEqualTo("ZERO_DATA_RETENTION");
      assertThat(withAgreement(new Zdr("org", "/v1/embeddings", BEFORE_CUTOFF, null))).isEqualTo("ELIGIBLE");
      assertThat(withAgreement(new Zdr("org", "/v1/chat/completions/", BEFORE_CUTOFF, null))).isEqualTo("ELIGIBLE");
    }

    @Test
    void anotherOrganizationsAgreementDoesNotCover() {
      assertThat(withAgreement(new Zdr("other-org", null, null, null))).isEqualTo("ELIGIBLE");
    }

    @Test
    void severalAgreementsNeverDuplicateARow() {
      World world = optedInApi(request)
          .with(new Zdr("org", null, BEFORE_CUTOFF, null), new Zdr("org", "/v1/chat/completions", null, null));
      assertThat(decide(world, baseModel(AS_OF))).hasSize(1);
    }

    String withAgreement(Zdr agreement) {
      return reasonOf(optedInApi(request).with(agreement), baseModel(AS_OF), "rec");
    }
  }

  @Nested
  class NonRetainedEndpoint {
    @Test
    void theNonRetainedEndpointIsExcludedAndComparedExactly() {
      Request request = Request.of("req", "org", AFTER_CUTOFF);
      assertThat(reasonOf(optedInApi(request.endpoint("/v1/audio/transcriptions")), baseModel(AS_OF), "rec"))
          .isEqualTo("NON_RETAINED_ENDPOINT");
      assertThat(reasonOf(optedInApi(request.endpoint("/v1/audio/transcriptions/")), baseModel(AS_OF), "rec"))
          .isEqualTo("ELIGIBLE");
      assertThat(reasonOf(optedInApi(request.endpoint("/V1/AUDIO/TRANSCRIPTIONS")), baseModel(AS_OF), "rec"))
          .isEqualTo("ELIGIBLE");
    }
  }

  @Nested
  class BeforeTheCutoff {
    World preCutoff(Instant submitted, Consent... events) {
      return World.empty().with(api("rec", "req")).with(Request.of("req", "org", submitted)).with(events);
    }

    @Test
    void preCutoffDataWithoutAnyEventIsEligibleOneMicrosecondBeforeTheCutoff() {
      assertThat(reasonOf(preCutoff(ONE_MICRO_BEFORE_CUTOFF), baseModel(AS_OF), "rec")).isEqualTo("ELIGIBLE");
    }

    @Test
    void dataSubmittedExactlyAtTheCutoffNeedsAnOptIn() {
      assertThat(reasonOf(preCutoff(CUTOFF), baseModel(AS_OF), "rec")).isEqualTo("NO_OPT_IN");
    }

    @Test
    void anOptOutInEffectAtAsOfExcludes() {
      assertThat(reasonOf(preCutoff(BEFORE_CUTOFF, optOut("org", AS_OF.minusSeconds(1))), baseModel(AS_OF), "rec"))
          .isEqualTo("ORG_OPTED_OUT");
      assertThat(reasonOf(preCutoff(BEFORE_CUTOFF, optOut("org", AS_OF)), baseModel(AS_OF), "rec"))
          .isEqualTo("ORG_OPTED_OUT");
    }

    @Test
    void anOptOutEffectiveOrRecordedAfterAsOfDoesNotExcludeYet() {
      Consent effectiveLater = Consent.of("org", "OPT_OUT", AS_OF.plusNanos(1000), AS_OF.minusSeconds(1));
      Consent recordedLater = Consent.of("org", "OPT_OUT", AS_OF.minusSeconds(10), AS_OF.plusNanos(1000));
      assertThat(reasonOf(preCutoff(BEFORE_CUTOFF, effectiveLater), baseModel(AS_OF), "rec")).isEqualTo("ELIGIBLE");
      assertThat(reasonOf(preCutoff(BEFORE_CUTOFF, recordedLater), baseModel(AS_OF), "rec")).isEqualTo("ELIGIBLE");
    }

    @Test
    void optOutThenOptInIsEligibleAndOptInThenOptOutIsNot() {
      Instant first = BEFORE_CUTOFF.plus(Duration.ofDays(100));
      Instant second = first.plus(Duration.ofDays(100));
      assertThat(reasonOf(preCutoff(BEFORE_CUTOFF, optOut("org", first), optIn("org", second)), baseModel(AS_OF), "rec"))
          .isEqualTo("ELIGIBLE");
      assertThat(reasonOf(preCutoff(BEFORE_CUTOFF, optIn("org", first), optOut("org", second)), baseModel(AS_OF), "rec"))
          .isEqualTo("ORG_OPTED_OUT");
    }

    @Test
    void projectScopeOptOutExcludesOnlyThatProjectsRequests() {
      World world = World.empty()
          .with(api("in-project", "req-p"), api("other-project", "req-q"), api("no-project", "req-n"))
          .with(Request.of("req-p", "org", BEFORE_CUTOFF).project("p"),
              Request.of("req-q", "org", BEFORE_CUTOFF).project("q"),
              Request.of("req-n", "org", BEFORE_CUTOFF))
          .with(optOut("org", BEFORE_CUTOFF).project("p"));
      Map<String, Outcome> outcomes = decide(world, baseModel(AS_OF));
      assertThat(outcomes.get("in-project").reason()).isEqualTo("ORG_OPTED_OUT");
      assertThat(outcomes.get("other-project").reason()).isEqualTo("ELIGIBLE");
      assertThat(outcomes.get("no-project").reason()).isEqualTo("ELIGIBLE");
    }
  }

  @Nested
  class AtOrAfterTheCutoff {
    final Instant submitted = AFTER_CUTOFF;

    World postCutoff(Request request, Consent... events) {
      return World.empty().with(api("rec", request.requestId())).with(request).with(events);
    }

    String reason(Consent... events) {
      return reasonOf(postCutoff(Request.of("req", "org", submitted).project("p"), events), baseModel(AS_OF), "rec");
    }

    @Test
    void withoutAnyEventThereIsNoOptIn() {
      assertThat(reason()).isEqualTo("NO_OPT_IN");
    }

    @Test
    void anOptInEffectiveExactlyAtSubmissionCountsAndOneMicrosecondLaterDoesNot() {
      assertThat(reason(optIn("org", submitted))).isEqualTo("ELIGIBLE");
      assertThat(reason(optIn("org", submitted.plusNanos(1000)))).isEqualTo("NO_OPT_IN");
    }

    @Test
    void optOutWinsATieWithOptInAtTheSameInstant() {
      assertThat(reason(optIn("org", BEFORE_CUTOFF), optOut("org", BEFORE_CUTOFF))).isEqualTo("NO_OPT_IN");
    }

    @Test
    void denyOverridesAcrossScopes() {
      assertThat(reason(optIn("org", BEFORE_CUTOFF), optOut("org", BEFORE_CUTOFF).project("p"))).isEqualTo("NO_OPT_IN");
      assertThat(reason(optOut("org", BEFORE_CUTOFF), optIn("org", BEFORE_CUTOFF).project("p"))).isEqualTo("NO_OPT_IN");
      assertThat(reason(optIn("org", BEFORE_CUTOFF).project("p"))).isEqualTo("ELIGIBLE");
      assertThat(reason(optIn("org", BEFORE_CUTOFF).project("q"))).isEqualTo("NO_OPT_IN");
    }

    @Test
    void anEmptyProjectIdIsAProjectNotTheOrganization() {
      World world = postCutoff(Request.of("req", "org", submitted), optIn("org", BEFORE_CUTOFF).project(""));
      assertThat(reasonOf(world, baseModel(AS_OF), "rec")).isEqualTo("NO_OPT_IN");
      World inEmptyProject = postCutoff(Request.of("req", "org", submitted).project(""), optIn("org", BEFORE_CUTOFF).project(""));
      assertThat(reasonOf(inEmptyProject, baseModel(AS_OF), "rec")).isEqualTo("ELIGIBLE");
    }

    @Test
    void anOptInRecordedAfterAsOfDoesNotExist() {
      assertThat(reason(Consent.of("org", "OPT_IN", BEFORE_CUTOFF, AS_OF.plusNanos(1000)))).isEqualTo("NO_OPT_IN");
      assertThat(reason(Consent.of("org", "OPT_IN", BEFORE_CUTOFF, AS_OF))).isEqualTo("ELIGIBLE");
    }

    @Test
    void optInThenOptOutBeforeAsOfIsRevokedAndOptOutThenOptInIsEligible() {
      Instant later = submitted.plus(Duration.ofDays(10));
      assertThat(reason(optIn("org", BEFORE_CUTOFF), optOut("org", later))).isEqualTo("OPT_IN_REVOKED");
      assertThat(reason(optOut("org", BEFORE_CUTOFF), optIn("org", BEFORE_CUTOFF.plusSeconds(1)))).isEqualTo("ELIGIBLE");
      assertThat(reason(optIn("org", BEFORE_CUTOFF), optOut("org", AS_OF))).isEqualTo("OPT_IN_REVOKED");
      assertThat(reason(optIn("org", BEFORE_CUTOFF),
          Consent.of("org", "OPT_OUT", AS_OF.plusNanos(1000), AS_OF))).isEqualTo("ELIGIBLE");
    }

    @Test
    void aProjectOptOutAfterSubmissionRevokesAnOrganizationOptIn() {
      assertThat(reason(optIn("org", BEFORE_CUTOFF), optOut("org", submitted.plusSeconds(1)).project("p")))
          .isEqualTo("OPT_IN_REVOKED");
    }
  }

  @Nested
  class MalformedConsent {
    final Request pre = Request.of("req-pre", "org", BEFORE_CUTOFF);
    final Request post = Request.of("req-post", "org", AFTER_CUTOFF).project("p");

    World world(Consent... events) {
      return World.empty().with(api("pre", "req-pre"), api("post", "req-post")).with(pre, post)
          .with(optIn("org", BEFORE_CUTOFF.minusSeconds(100))).with(events);
    }

    @Test
    void aMalformedEventMakesItsOrganizationOptedOutEverywhere() {
      for (Consent bad : List.of(
          new Consent("bad", "org", null, null, BEFORE_CUTOFF, BEFORE_CUTOFF),
          new Consent("bad", "org", null, "opt_in", BEFORE_CUTOFF, BEFORE_CUTOFF),
          new Consent("bad", "org", "other-project", "MAYBE", BEFORE_CUTOFF, BEFORE_CUTOFF),
          new Consent("bad", "org", null, "OPT_IN", null, BEFORE_CUTOFF),
          new Consent("bad", "org", null, "OPT_IN", BEFORE_CUTOFF, null))) {
        Map<String, Outcome> outcomes = decide(world(bad), baseModel(AS_OF));
        assertThat(outcomes.get("pre").reason()).as(bad.toString()).isEqualTo("ORG_OPTED_OUT");
        assertThat(outcomes.get("post").reason()).as(bad.toString()).isEqualTo("NO_OPT_IN");
      }
    }

    @Test
    void aMalformedEventRecordedAfterAsOfDoesNotExist() {
      Map<String, Outcome> outcomes = decide(
          world(new Consent("bad", "org", null, "MAYBE", BEFORE_CUTOFF, AS_OF.plusSeconds(1))), baseModel(AS_OF));
      assertThat(outcomes.get("pre").reason()).isEqualTo("ELIGIBLE");
      assertThat(outcomes.get("post").reason()).isEqualTo("ELIGIBLE");
    }

    @Test
    void anotherOrganizationsMalformedEventChangesNothing() {
      Map<String, Outcome> outcomes = decide(
          world(new Consent("bad", "org-2", null, "MAYBE", BEFORE_CUTOFF, BEFORE_CUTOFF)), baseModel(AS_OF));
      assertThat(outcomes.get("pre").reason()).isEqualTo("ELIGIBLE");
      assertThat(outcomes.get("post").reason()).isEqualTo("ELIGIBLE");
    }
  }

  @Nested
  class LicenseNotValid {
    final Instant from = AS_OF.minus(Duration.ofDays(100));

    String licensed(License... licenses) {
      World world = World.empty().with(Candidate.of("rec", "LICENSED", "lic")).with(licenses);
      return reasonOf(world, baseModel(AS_OF), "rec");
    }

    @Test
    void aPermittingLicenceValidAtAsOfMakesTheRowEligible() {
      assertThat(licensed(new License("lic", true, from, null))).isEqualTo("ELIGIBLE");
      assertThat(licensed(new License("lic", true, AS_OF, AS_OF.plusNanos(1000)))).isEqualTo("ELIGIBLE");
    }

    @Test
    void theValidityWindowExcludesItsEndAndAnythingBeforeItsStart() {
      assertThat(licensed(new License("lic", true, from, AS_OF))).isEqualTo("LICENSE_NOT_VALID");
      assertThat(licensed(new License("lic", true, AS_OF.plusNanos(1000), null))).isEqualTo("LICENSE_NOT_VALID");
    }

    @Test
    void missingAmbiguousNonPermittingOrIncompleteLicencesAreNotValid() {
      assertThat(licensed()).isEqualTo("LICENSE_NOT_VALID");
      assertThat(licensed(new License("lic", true, from, null), new License("lic", true, from, null)))
          .isEqualTo("LICENSE_NOT_VALID");
      assertThat(licensed(new License("lic", false, from, null))).isEqualTo("LICENSE_NOT_VALID");
      assertThat(licensed(new License("lic", null, from, null))).isEqualTo("LICENSE_NOT_VALID");
      assertThat(licensed(new License("lic", true, null, null))).isEqualTo("LICENSE_NOT_VALID");
      assertThat(licensed(new License("LIC", true, from, null))).isEqualTo("LICENSE_NOT_VALID");
    }

    @Test
    void withoutALicencesTableNoLicensedRowIsEligible() {
      World world = World.empty().with(Candidate.of("rec", "LICENSED", "lic"), Candidate.of("web", "PUBLIC_WEB", null))
          .withoutOptionalTables();
      Map<String, Outcome> outcomes = decide(world, baseModel(AS_OF));
      assertThat(outcomes.get("rec").reason()).isEqualTo("LICENSE_NOT_VALID");
      assertThat(outcomes.get("web").reason()).isEqualTo("ELIGIBLE");
    }
  }

  @Nested
  class Order {
    @Test
    void thePrimaryReasonIsTheFirstInPolicyOrderAndEveryApplyingReasonIsRecorded() {
      Request request = Request.of("req", "org", AFTER_CUTOFF).zdr(true).endpoint("/v1/audio/transcriptions")
          .model("ft:custom");
      World world = World.empty().with(api("rec", "req")).with(request);
      Outcome outcome = decide(world, baseModel(AS_OF)).get("rec");
      assertThat(outcome.reason()).isEqualTo("FINE_TUNED_MODEL_IO");
      assertThat(outcome.reasons()).containsExactly(
          "FINE_TUNED_MODEL_IO", "ZERO_DATA_RETENTION", "NON_RETAINED_ENDPOINT", "NO_OPT_IN");
    }
  }
}
