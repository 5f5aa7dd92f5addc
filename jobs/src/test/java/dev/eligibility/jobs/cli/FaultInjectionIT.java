package dev.eligibility.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.run.FaultInjection;
import dev.eligibility.jobs.testing.SampleWorkspace;
import dev.eligibility.jobs.testing.SparkSubmitProcess;
import dev.eligibility.jobs.testing.SparkSubmitProcess.Submitted;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.RunManifest;
import dev.eligibility.lineage.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Crashes, as a scheduler meets them: the driver of a spark-submit run killed (halted, as by
 * {@code kill -9}: no shutdown hook, no {@code finally}) at each boundary between its stages,
 * on a root that already holds a committed run. Each crash must leave the committed run readable
 * through {@code lineage resolve}, and the plain retry that follows (the same command, no
 * {@code unlock}) must commit outputs with exactly the digests of an undisturbed run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionIT {

  /** A short lease, so that a retry waits out a dead driver's claim in seconds, not minutes. */
  static final List<String> SHORT_LEASE = List.of(
      "--conf", "spark.eligibility.claim.leaseSeconds=10", "--conf", "spark.eligibility.claim.renewSeconds=2");

  @TempDir
  static Path folder;

  SampleWorkspace workspace;
  Path root;
  Path spec;
  RunRecord undisturbed;

  @BeforeAll
  void commitAnUndisturbedRun() throws Exception {
    workspace = SampleWorkspace.create(folder.resolve("samples"));
    root = folder.resolve("out");
    spec = workspace.spec("base-model", root, s -> s);
    Submitted first = run(List.of());
    assertThat(first.exitCode()).as(first.console()).isZero();
    undisturbed = manifest();
  }

  @Order(1)
  @ParameterizedTest(name = "driver killed {0}, then a plain retry")
  @ValueSource(strings = {
      FaultInjection.AFTER_READ, FaultInjection.AFTER_DECIDE, FaultInjection.AFTER_ELIGIBLE_COMMIT,
      FaultInjection.AFTER_EXCLUSIONS_COMMIT, FaultInjection.AFTER_REGISTRY, FaultInjection.AFTER_MANIFEST})
  void aDriverKilledAtAStageBoundaryIsFollowedByAPlainRetryThatCommitsTheSameData(String point) throws Exception {
    RunRecord before = manifest();
    Submitted crashed = run(List.of("-D" + FaultInjection.PROPERTY + "=" + point));
    assertThat(crashed.exitCode()).as(crashed.console()).isEqualTo(137);
    assertThat(crashed.console()).contains("fault injection: the driver halts " + point);

    if (!point.equals(FaultInjection.AFTER_MANIFEST)) {
      // The committed run is still what a reader resolves, whatever the dead run wrote.
      SampleWorkspace.Invocation resolved = SampleWorkspace.lineage("resolve", "--root", root.toString());
      assertThat(resolved.exitCode()).as(resolved.err()).isZero();
      assertThat(resolved.out()).contains("eligible/    " + eligible(before).path() + " version "
          + eligible(before).deltaVersion() + " (7 rows)");
      assertThat(manifest()).as("no manifest was written").isEqualTo(before);
    }

    Submitted retry = run(List.of());
    assertThat(retry.exitCode()).as(retry.console()).isZero();
    RunRecord retried = manifest();
    assertThat(eligible(retried).deltaVersion()).isGreaterThan(eligible(before).deltaVersion());
    assertSameDigests(retried, undisturbed);
    if (point.equals(FaultInjection.AFTER_ELIGIBLE_COMMIT)) {
      assertThat(retry.console()).contains("recovered eligible/: v" + (eligible(before).deltaVersion() + 1)
          + " was written by a run that never committed; restored to v" + eligible(before).deltaVersion());
    }
    if (point.equals(FaultInjection.AFTER_READ)) {
      assertThat(retry.console()).as("the retry found the dead driver's claim and waited it out")
          .contains("is claimed: run 'sample-base-model'", "a claim left by a dead driver is taken over then");
    }
  }

  @Order(2)
  @Test
  void recoverRestoresTheLastCommittedStateSoThatItVerifiesAgain() throws Exception {
    RunRecord before = manifest();
    Submitted crashed = run(List.of("-D" + FaultInjection.PROPERTY + "=" + FaultInjection.AFTER_REGISTRY));
    assertThat(crashed.exitCode()).as(crashed.console()).isEqualTo(137);

    SampleWorkspace.Invocation recovered = SampleWorkspace.cli("recover", "--root", root.toString());
    assertThat(recovered.exitCode()).as(recovered.err()).isZero();
    assertThat(recovered.out())
        .contains("Recovered eligible/: v" + (eligible(before).deltaVersion() + 1) + " was written by a run that never"
            + " committed; restored to v" + eligible(before).deltaVersion())
        .contains("Recovered exclusions/: v")
        .contains("Recovered registry: removed 1 registration of attempts that never wrote their manifest")
        .contains("Last committed run: sample-base-model");
    SampleWorkspace.Invocation again = SampleWorkspace.cli("recover", "--root", root.toString());
    assertThat(again.out()).contains("is at its last committed state; nothing to recover");

    SampleWorkspace.Invocation verify = SampleWorkspace.lineage("verify", "--allow-unsigned", "--manifest",
        root.resolve("manifests/sample-base-model.json").toString());
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out()).contains("restored after a run that never committed");
  }

  /** The same command every time, a scheduler's retry: {@code run --replace} of the sample spec. */
  private Submitted run(List<String> driverJvmOptions) throws Exception {
    return SparkSubmitProcess.start(driverJvmOptions, "local[2]", SHORT_LEASE, Map.of(), folder, "run", "--unsigned",
        "--replace", "--spec", spec.toString()).await();
  }

  private RunRecord manifest() throws Exception {
    return RunManifest.open(Files.readAllBytes(root.resolve("manifests/sample-base-model.json")), List.of()).record();
  }

  private static OutputSnapshot eligible(RunRecord record) {
    return record.output("eligible").orElseThrow();
  }

  /** The same rows out: digests, Merkle root, counts (versions move on with every attempt). */
  static void assertSameDigests(RunRecord actual, RunRecord expected) {
    assertThat(actual.outputs()).extracting(OutputSnapshot::table, OutputSnapshot::rowCount,
            OutputSnapshot::datasetDigest, OutputSnapshot::merkleRoot)
        .containsExactlyElementsOf(expected.outputs().stream()
            .map(o -> org.assertj.core.groups.Tuple.tuple(o.table(), o.rowCount(), o.datasetDigest(), o.merkleRoot()))
            .toList());
    assertThat(actual.counts()).isEqualTo(expected.counts());
    assertThat(actual.eligibleRowsByOrganization()).isEqualTo(expected.eligibleRowsByOrganization());
  }
}
