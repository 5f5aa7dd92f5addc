package dev.eligibility.jobs.policy;

import static dev.eligibility.jobs.testing.Judge.AS_OF;
import static dev.eligibility.jobs.testing.Judge.CUTOFF;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.decision.EligibilityEngine;
import dev.eligibility.jobs.testing.Judge;
import dev.eligibility.jobs.testing.TestSpark;
import dev.eligibility.jobs.testing.World;
import dev.eligibility.jobs.testing.World.Candidate;
import dev.eligibility.jobs.testing.World.Consent;
import dev.eligibility.jobs.testing.World.Request;
import dev.eligibility.jobs.testing.World.TrainingFile;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * The negative-claim conditions catch the rows they describe (so a zero in a run record means
 * something), and leave eligible rows alone.
 */
class EligibleSetClaimsTest {

  @Test
  void eachClaimCatchesItsRowsAndNoEligibleRow() {
    var run = Judge.fineTune("org-a", AS_OF);
    var base = Judge.baseModel(AS_OF);
    var after = CUTOFF.plus(Duration.ofDays(10));
    World world = World.empty()
        .with(Candidate.of("zdr", "API", "q-zdr"), Candidate.of("audio", "API", "q-audio"),
            Candidate.of("ft", "API", "q-ft"), Candidate.of("inference", "FINE_TUNED_INFERENCE", null),
            Candidate.of("no-opt-in", "API", "q-none"), Candidate.of("ok", "API", "q-ok"),
            Candidate.of("foreign", "FINE_TUNE_FILE", "f-b"), Candidate.of("deleted", "FINE_TUNE_FILE", "f-del"),
            Candidate.of("own", "FINE_TUNE_FILE", "f-a"))
        .with(Request.of("q-zdr", "o", after).zdr(true), Request.of("q-audio", "o", after).endpoint("/v1/audio/transcriptions"),
            Request.of("q-ft", "o", after).model("ft:x"), Request.of("q-none", "silent", after), Request.of("q-ok", "o", after))
        .with(Consent.of("o", "OPT_IN", CUTOFF.minusSeconds(1), CUTOFF.minusSeconds(1)))
        .with(new TrainingFile("f-b", "org-b", CUTOFF, null), new TrainingFile("f-del", "org-a", CUTOFF, AS_OF),
            new TrainingFile("f-a", "org-a", CUTOFF, null));

    Map<String, String> fineTuneClaims = claims(world, run);
    assertThat(fineTuneClaims).containsEntry("zdr", "zdr").containsEntry("audio", "non-retained")
        .containsEntry("ft", "fine-tuned").containsEntry("inference", "fine-tuned")
        .containsEntry("no-opt-in", "no-opt-in").containsEntry("foreign", "file").containsEntry("deleted", "file")
        .containsEntry("ok", "").containsEntry("own", "");
    assertThat(claims(world, base)).containsEntry("own", "file").containsEntry("ok", "");
  }

  private static Map<String, String> claims(World world, RunContext run) {
    var facts = new EligibilityEngine(run).facts(world.inputs(TestSpark.session()));
    return facts.select(col("record_id"),
            EligibleSetClaims.zeroDataRetention().as("zdr"),
            EligibleSetClaims.nonRetainedEndpoint(run).as("audio"),
            EligibleSetClaims.fineTunedModelIo().as("ft"),
            EligibleSetClaims.postCutoffWithoutOptIn(run).as("consent"),
            EligibleSetClaims.deletedOrForeignFineTuneFile(run).as("file"))
        .collectAsList().stream()
        .collect(Collectors.toMap(r -> r.getString(0), EligibleSetClaimsTest::firstBroken));
  }

  private static String firstBroken(Row row) {
    if (row.getBoolean(1)) {
      return "zdr";
    }
    if (row.getBoolean(2)) {
      return "non-retained";
    }
    if (row.getBoolean(3)) {
      return "fine-tuned";
    }
    if (row.getBoolean(5)) {
      return "file";
    }
    return row.getBoolean(4) ? "no-opt-in" : "";
  }
}
