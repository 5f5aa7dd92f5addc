package dev.eligibility.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.testing.SampleWorkspace;
import dev.eligibility.jobs.testing.SampleWorkspace.Invocation;
import static dev.eligibility.jobs.testing.SampleWorkspace.lineage;
import dev.eligibility.jobs.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.RunManifest;
import dev.eligibility.lineage.RunRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reviewer's commands on a committed sample run: show, prove, check-proof. */
class LineageCliTest {

  @TempDir
  static Path folder;

  static Path manifest;

  @BeforeAll
  static void commitTheBaseModelSample() {
    TestSpark.session();
    SampleWorkspace workspace = SampleWorkspace.create(folder.resolve("samples"));
    Path root = folder.resolve("out");
    Invocation run = SampleWorkspace.cli("run", "--unsigned", "--spec", workspace.spec("base-model", root, s -> s).toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    manifest = root.resolve("manifests/sample-base-model.json");
  }


  Path prove(String recordId) throws Exception {
    Invocation prove = lineage("prove", "--manifest", manifest.toString(), "--record", recordId);
    assertThat(prove.exitCode()).as(prove.err()).isZero();
    Path proof = folder.resolve("proof-" + recordId + ".json");
    Files.writeString(proof, prove.out());
    return proof;
  }

  @Test
  void anEligibleRecordIsProvenInAndAnExcludedOneProvenOut() throws Exception {
    Invocation in = lineage("check-proof", "--proof", prove("api-001").toString(), "--manifest", manifest.toString());
    assertThat(in.exitCode()).isZero();
    assertThat(in.out()).startsWith("VALID: record 'api-001' is IN the eligible set");
    assertThat(in.err()).contains("is UNSIGNED");
    Invocation out = lineage("check-proof", "--proof", prove("api-004").toString(), "--manifest", manifest.toString());
    assertThat(out.exitCode()).isZero();
    assertThat(out.out()).startsWith("VALID: record 'api-004' is NOT IN the eligible set");
  }

  @Test
  void aProofEditedToClaimAnotherRecordFails() throws Exception {
    Path proof = prove("api-001");
    Files.writeString(proof, Files.readString(proof).replace("\"record_id\" : \"api-001\"", "\"record_id\" : \"api-003\""));
    Invocation check = lineage("check-proof", "--proof", proof.toString(), "--manifest", manifest.toString());
    assertThat(check.exitCode()).isEqualTo(1);
    assertThat(check.out()).startsWith("INVALID: leaf 0 ('api-003') is not in the tree with this root");
  }

  @Test
  void checkProofTakesARootAndSizeDirectlyAndRejectsAnotherSize() throws Exception {
    Path proof = prove("web-001");
    String root = RunManifest.open(Files.readAllBytes(manifest), List.of()).record().outputs().get(0).merkleRoot();
    assertThat(lineage("check-proof", "--proof", proof.toString(), "--root", root, "--size", "7").exitCode()).isZero();
    Invocation wrongSize = lineage("check-proof", "--proof", proof.toString(), "--root", root, "--size", "8");
    assertThat(wrongSize.exitCode()).isEqualTo(1);
    assertThat(wrongSize.out()).contains("the proof is for a tree of 7 leaves, the manifest's has 8");
  }

  @Test
  void proveRefusesARunRecordWhoseRootTheTableDoesNotGive() throws Exception {
    RunRecord real = RunManifest.open(Files.readAllBytes(manifest), List.of()).record();
    OutputSnapshot eligible = real.outputs().get(0);
    RunRecord forgedRecord = new RunRecord(real.formatVersion(), real.run(), real.policy(), real.inputs(),
        List.of(new OutputSnapshot(eligible.table(), eligible.path(), eligible.deltaVersion(), eligible.rowCount(),
            eligible.datasetDigest(), "ab".repeat(32)), real.outputs().get(1)),
        real.counts(), real.upstreamWarnings(), real.negativeClaims(), real.eligibleRowsByOrganization(),
        real.decisionMode(), real.driftCheck(), real.codeVersion(), real.previousManifestDigest());
    Path forged = folder.resolve("forged.json");
    Files.write(forged, RunManifest.write(forgedRecord, Optional.empty()));
    Invocation prove = lineage("prove", "--manifest", forged.toString(), "--record", "api-001");
    assertThat(prove.exitCode()).isEqualTo(2);
    assertThat(prove.err()).contains("its record ids no longer give the run record's Merkle root");
  }

  @Test
  void showPrintsTheRunWithoutPayloads() {
    Invocation show = lineage("show", "--manifest", manifest.toString());
    assertThat(show.exitCode()).isZero();
    assertThat(show.out()).contains("Run sample-base-model committed", "excluded: NO_OPT_IN", "Negative claims on eligible/: all hold")
        .doesNotContain("Opted-in organization, after the cutoff.");
  }
}
