package dev.eligibility.jobs.run;

import static dev.eligibility.jobs.testing.SampleWorkspace.cli;
import static dev.eligibility.jobs.testing.SampleWorkspace.lineage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.evidence.RowDigests;
import dev.eligibility.jobs.spec.RunSpecParser;
import dev.eligibility.jobs.testing.SampleWorkspace;
import dev.eligibility.jobs.testing.SampleWorkspace.Invocation;
import dev.eligibility.jobs.testing.TestSpark;
import dev.eligibility.lineage.DigestAlgorithm;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.RunManifest;
import dev.eligibility.lineage.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An output root upgraded in place: its first run was committed in the record format before
 * (v6, dataset digests by the v1 sum), the next by this build (v7, LtHash). The old run keeps
 * verifying with its own algorithm (in full, and from its evidence once its payload is purged),
 * and the new run chains to it.
 */
class RecordFormatsTest {

  @TempDir
  Path folder;

  @Test
  void aRunOfTheFormatBeforeKeepsVerifyingAfterTheRootMovesOn() throws Exception {
    SampleWorkspace workspace = SampleWorkspace.create(folder.resolve("workspace"));
    Path root = folder.resolve("out");
    RunResult before = new EligibilityRun(TestSpark.session(), Clock.systemUTC(), Progress.SILENT)
        .writingRecordFormat(RunRecord.FORMAT_VERSION_V6)
        .run(new RunSpecParser(Clock.systemUTC()).parse(workspace.spec("base-model", root, s -> s)), false,
            Optional.empty());
    Path oldManifest = Path.of(before.manifest());
    RunRecord old = RunManifest.open(Files.readAllBytes(oldManifest), List.of()).record();
    assertThat(old.formatVersion()).isEqualTo(RunRecord.FORMAT_VERSION_V6);
    assertThat(new String(Files.readAllBytes(oldManifest))).doesNotContain("eligibility-dataset-v2");
    OutputSnapshot eligible = old.output("eligible").orElseThrow();
    Dataset<Row> eligibleRows = TestSpark.session().read().format("delta")
        .option("versionAsOf", eligible.deltaVersion()).load(eligible.path());
    assertThat(eligible.datasetDigest())
        .isEqualTo(RowDigests.digest(eligibleRows, "record_id", DigestAlgorithm.ADDITIVE_V1).hex())
        .isNotEqualTo(RowDigests.digest(eligibleRows, "record_id", DigestAlgorithm.LTHASH_V2).hex());

    Invocation after = cli("run", "--unsigned", "--spec", workspace.spec("base-model", root,
        s -> s.replace("run_id: sample-base-model", "run_id: after-upgrade")).toString());
    assertThat(after.exitCode()).as(after.err()).isZero();
    Path newManifest = root.resolve("manifests/after-upgrade.json");
    RunRecord current = RunManifest.open(Files.readAllBytes(newManifest), List.of()).record();
    assertThat(current.formatVersion()).isEqualTo(RunRecord.FORMAT_VERSION);
    assertThat(current.output("eligible").orElseThrow().datasetDigest()).isNotEqualTo(eligible.datasetDigest());

    Invocation verifyNew = lineage("verify", "--allow-unsigned", "--manifest", newManifest.toString());
    assertThat(verifyNew.exitCode()).as(verifyNew.out() + verifyNew.err()).isZero();
    assertThat(verifyNew.out()).containsPattern("HOLDS +chain ").contains("VERIFIED: every claim holds.");
    Invocation verifyOld = lineage("verify", "--allow-unsigned", "--historical", "--manifest", oldManifest.toString());
    assertThat(verifyOld.exitCode()).as(verifyOld.out() + verifyOld.err()).isZero();
    assertThat(verifyOld.out()).containsPattern("HOLDS +inputs ").containsPattern("HOLDS +evaluation ")
        .contains("VERIFIED: every claim holds.");

    // Once the payload is purged, the old run's evidence (recorded now) still gives its v1 digest.
    Invocation vacuum = cli("vacuum", "--root", root.toString(), "--retain-days", "0");
    assertThat(vacuum.exitCode()).as(vacuum.out() + vacuum.err()).isZero();
    assertThat(vacuum.out()).contains("sample-base-model (manifest ").contains("evidence recorded");
    Invocation evidenceOnly = lineage("verify", "--allow-unsigned", "--historical", "--evidence-only", "--manifest",
        oldManifest.toString());
    assertThat(evidenceOnly.exitCode()).as(evidenceOnly.out() + evidenceOnly.err()).isZero();
    assertThat(evidenceOnly.out()).containsPattern("HOLDS +outputs +the run's evidence");
  }
}
