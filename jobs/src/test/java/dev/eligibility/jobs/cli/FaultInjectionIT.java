package dev.eligibility.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.publication.ClaimLease;
import dev.eligibility.jobs.run.FaultInjection;
import dev.eligibility.jobs.testing.TestSpark;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes, as a scheduler meets them: the driver of a spark-submit run killed (halted, as by
 * {@code kill -9}: no shutdown hook, no {@code finally}) at each boundary between its stages, on
 * a root that already holds a committed run. After each crash {@code lineage resolve} must still
 * name the last committed run, and a plain retry from another driver (the same command: no
 * {@code unlock}, no cleanup) must get past the dead driver's claim and whatever it left, and commit outputs with exactly the
 * digests of an undisturbed run. After the crash that leaves both tables and a registration
 * behind, {@code eligibility recover} restores the root first and the last committed run verifies.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FaultInjectionIT {

  /** A short lease, so that a retry waits out a dead driver's claim in seconds, not minutes. */
  static final List<String> SHORT_LEASE = List.of(
      "--conf", "spark.eligibility.claim.leaseSeconds=10", "--conf", "spark.eligibility.claim.renewSeconds=2");

  /** Each stage boundary, in the order a run reaches them. */
  static final List<String> BOUNDARIES = List.of(
      FaultInjection.AFTER_READ, FaultInjection.AFTER_DECIDE, FaultInjection.AFTER_ELIGIBLE_COMMIT,
      FaultInjection.AFTER_EXCLUSIONS_COMMIT, FaultInjection.AFTER_REGISTRY, FaultInjection.AFTER_MANIFEST);

  @TempDir
  static Path folder;

  Path root;
  Path spec;

  @Test
  void aRunKilledAtEachStageBoundaryIsFollowedByAPlainRetryThatCommitsTheSameData() throws Exception {
    SampleWorkspace workspace = SampleWorkspace.create(folder.resolve("samples"));
    root = folder.resolve("out");
    spec = workspace.spec("base-model", root, s -> s);
    SampleWorkspace.Invocation first = retry();
    assertThat(first.exitCode()).as(first.err()).isZero();
    RunRecord undisturbed = manifest();

    for (String point : BOUNDARIES) {
      RunRecord committed = manifest();
      Submitted crashed = crash(point);
      assertThat(crashed.exitCode()).as(crashed.console()).isEqualTo(137);
      assertThat(crashed.console()).contains("fault injection: the driver halts " + point);
      if (point.equals(FaultInjection.AFTER_MANIFEST)) {
        assertThat(eligible(manifest()).deltaVersion()).as("the killed run had committed")
            .isGreaterThan(eligible(committed).deltaVersion());
        committed = manifest();
      } else {
        assertThat(manifest()).as("no manifest was written").isEqualTo(committed);
        // Whatever the dead run wrote, the committed run is what a reader resolves.
        SampleWorkspace.Invocation resolved = SampleWorkspace.lineage("resolve", "--root", root.toString());
        assertThat(resolved.exitCode()).as(resolved.err()).isZero();
        assertThat(resolved.out()).contains("eligible/    " + eligible(committed).path() + " version "
            + eligible(committed).deltaVersion() + " (7 rows)");
      }
      if (point.equals(FaultInjection.AFTER_REGISTRY)) {
        recoverAndVerify(committed);
      }

      SampleWorkspace.Invocation retry = retry();
      assertThat(retry.exitCode()).as(point + ": " + retry.err()).isZero();
      if (point.equals(FaultInjection.AFTER_ELIGIBLE_COMMIT) || point.equals(FaultInjection.AFTER_EXCLUSIONS_COMMIT)) {
        assertThat(retry.out()).as("the retry repaired what the dead run left")
            .containsPattern("recovered eligible/: v\\d+ was written by a run that never committed; restored to v"
                + eligible(committed).deltaVersion() + ",");
      }
      assertThat(eligible(manifest()).deltaVersion()).isGreaterThan(eligible(committed).deltaVersion());
      assertSameDigests(manifest(), undisturbed);
    }
  }

  /** {@code eligibility recover} after a run died with both tables and its registration written. */
  private void recoverAndVerify(RunRecord committed) {
    SampleWorkspace.Invocation recovered = SampleWorkspace.cli("recover", "--root", root.toString());
    assertThat(recovered.exitCode()).as(recovered.err()).isZero();
    assertThat(recovered.out())
        .containsPattern("Recovered eligible/: v\\d+ was written by a run that never committed; restored to v"
            + eligible(committed).deltaVersion() + ", the last committed run's")
        .containsPattern("Recovered exclusions/: v\\d+ was written by a run that never committed; restored to v"
            + committed.output("exclusions").orElseThrow().deltaVersion() + ",")
        .contains("Recovered registry: removed 1 registration of attempts that never wrote their manifest")
        .contains("Last committed run: sample-base-model");
    SampleWorkspace.Invocation again = SampleWorkspace.cli("recover", "--root", root.toString());
    assertThat(again.out()).contains("is at its last committed state; nothing to recover");

    SampleWorkspace.Invocation verify = SampleWorkspace.lineage("verify", "--allow-unsigned", "--manifest",
        root.resolve("manifests/sample-base-model.json").toString());
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    assertThat(verify.out()).contains("restored after a run that never committed");
  }

  /** The sample run as a spark-submit process whose driver halts at {@code point}. */
  private Submitted crash(String point) throws Exception {
    return SparkSubmitProcess.start(List.of("-D" + FaultInjection.PROPERTY + "=" + point), "local[2]", SHORT_LEASE,
        Map.of(), folder, "run", "--unsigned", "--replace", "--spec", spec.toString()).await();
  }

  /**
   * The scheduler's retry: the same command ({@code run --replace} of the sample spec) from another
   * driver, this test's JVM (which saves a process start per retry), with the same short lease.
   */
  private SampleWorkspace.Invocation retry() throws Exception {
    var conf = TestSpark.session().conf();
    conf.set(ClaimLease.LENGTH_SETTING, "10");
    conf.set(ClaimLease.RENEW_SETTING, "2");
    try {
      return SampleWorkspace.cli("run", "--unsigned", "--replace", "--spec", spec.toString());
    } finally {
      conf.unset(ClaimLease.LENGTH_SETTING);
      conf.unset(ClaimLease.RENEW_SETTING);
    }
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
