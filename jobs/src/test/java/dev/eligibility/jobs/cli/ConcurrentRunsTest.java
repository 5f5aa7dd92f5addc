package dev.eligibility.jobs.cli;

import static dev.eligibility.jobs.testing.SampleWorkspace.lineage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.jobs.publication.ClaimKeeper;
import dev.eligibility.jobs.publication.ClaimLease;
import dev.eligibility.jobs.publication.OutputRootClaim;
import dev.eligibility.jobs.testing.SampleWorkspace;
import dev.eligibility.jobs.testing.SampleWorkspace.Invocation;
import dev.eligibility.jobs.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Two runs against one output root never both write it: one wins, the other stops with a clear message. */
class ConcurrentRunsTest {

  @TempDir
  Path folder;

  @ParameterizedTest(name = "{0} runs started at once")
  @ValueSource(ints = {2, 3})
  void runsStartedAtOnceLeaveOneCommittedRunAndAVerifiableRoot(int count) throws Exception {
    SampleWorkspace workspace = SampleWorkspace.create(folder.resolve("samples"));
    Path root = folder.resolve("out");
    List<String> runIds = java.util.stream.IntStream.rangeClosed(1, count).mapToObj(i -> "night-" + i).toList();
    TestSpark.session();

    CyclicBarrier together = new CyclicBarrier(count);
    ExecutorService pool = Executors.newFixedThreadPool(count);
    List<Invocation> runs = new java.util.ArrayList<>();
    try {
      List<Future<Invocation>> started = new java.util.ArrayList<>();
      for (String runId : runIds) {
        Path spec = workspace.spec("base-model", root, s -> s.replace("run_id: sample-base-model", "run_id: " + runId));
        started.add(pool.submit(() -> startTogether(together, spec)));
      }
      for (Future<Invocation> run : started) {
        runs.add(run.get());
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(runs).extracting(Invocation::exitCode).containsOnlyOnce(0).containsOnly(0, 6);
    for (Invocation lost : runs.stream().filter(r -> r.exitCode() == 6).toList()) {
      assertThat(lost.err()).containsPattern("error: Run 'night-[0-9]' stopped before writing: output root .* is in use: ")
          .contains("This run wrote nothing", "eligibility unlock --root");
    }
    Invocation won = runs.stream().filter(r -> r.exitCode() == 0).findFirst().orElseThrow();
    String winner = runIds.stream().filter(id -> won.out().contains("Run " + id + " ")).findFirst().orElseThrow();

    try (Stream<Path> manifests = Files.list(root.resolve("manifests"))) {
      assertThat(manifests.map(p -> p.getFileName().toString())).containsExactly(winner + ".json");
    }
    Invocation verify = lineage("verify", "--allow-unsigned", "--manifest",
        root.resolve("manifests/" + winner + ".json").toString());
    assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
    assertThat(new OutputRootClaim(TestSpark.session(), new OutputLayout(root.toString())).holder())
        .as("the winner released the root").isEmpty();
  }

  @Test
  void aRunAgainstARootHeldByALiveRunStopsWithExitCode6AndWritesNoOutput() throws Exception {
    SampleWorkspace workspace = SampleWorkspace.create(folder.resolve("samples"));
    Path root = folder.resolve("out");
    OutputRootClaim claim = new OutputRootClaim(TestSpark.session(), new OutputLayout(root.toString()));
    withShortLease(() -> {
      OutputRootClaim.Holder held = claim.acquire("nightly-2026-11-24", "app-20261124", Instant.now(), SHORT.length());
      try (ClaimKeeper alive = ClaimKeeper.keep(claim, held, SHORT, java.time.Clock.systemUTC())) {
        List<String> before = filesUnder(root);
        Invocation refused = SampleWorkspace.cli("run", "--unsigned", "--spec",
            workspace.spec("base-model", root, s -> s).toString());
        assertThat(refused.exitCode()).as(refused.err()).isEqualTo(6);
        assertThat(refused.err()).contains("is in use: run 'nightly-2026-11-24' (Spark application app-20261124)");
        assertThat(refused.out()).as("refused before reading any input").doesNotContain("[2/5]");
        assertThat(root.resolve("eligible")).doesNotExist();
        assertThat(root.resolve("manifests")).doesNotExist();
        assertThat(claim.holder()).hasValueSatisfying(h -> assertThat(h.claimId()).isEqualTo(held.claimId()));
        // Only the holder's own renewals changed the root: the refused run wrote no file.
        assertThat(filesUnder(root)).allMatch(f -> before.contains(f) || f.startsWith("registry/claim/_delta_log/"));

        Invocation unlock = SampleWorkspace.cli("unlock", "--root", root.toString(), "--run-id", "nightly-2026-11-24");
        assertThat(unlock.exitCode()).as(unlock.err()).isZero();
        Invocation retried = SampleWorkspace.cli("run", "--unsigned", "--spec",
            workspace.spec("base-model", root, s -> s).toString());
        assertThat(retried.exitCode()).as(retried.err()).isZero();
      }
    });
  }

  @Test
  void aClaimLeftByADeadDriverIsWaitedOutAndTheRetryProceedsWithoutUnlock() throws Exception {
    SampleWorkspace workspace = SampleWorkspace.create(folder.resolve("samples"));
    Path root = folder.resolve("out");
    OutputRootClaim claim = new OutputRootClaim(TestSpark.session(), new OutputLayout(root.toString()));
    withShortLease(() -> {
      // Claimed, never renewed, never released: a driver killed while deciding.
      claim.acquire("sample-base-model", "app-dead", Instant.now(), SHORT.length());
      Invocation retry = SampleWorkspace.cli("run", "--unsigned", "--spec", workspace.spec("base-model", root, s -> s).toString());
      assertThat(retry.exitCode()).as(retry.err()).isZero();
      assertThat(retry.out()).contains("is claimed: run 'sample-base-model' (Spark application app-dead)",
          "a claim left by a dead driver is taken over then");
      assertThat(claim.holder()).as("the retry released the root when it ended").isEmpty();
    });
  }

  static final ClaimLease SHORT = new ClaimLease(java.time.Duration.ofSeconds(10), java.time.Duration.ofSeconds(2));

  interface Body {
    void run() throws Exception;
  }

  /** Runs {@code body} with the test session's claims on a short lease (10 s, renewed every 2 s). */
  static void withShortLease(Body body) throws Exception {
    var conf = TestSpark.session().conf();
    conf.set(ClaimLease.LENGTH_SETTING, String.valueOf(SHORT.length().toSeconds()));
    conf.set(ClaimLease.RENEW_SETTING, String.valueOf(SHORT.renewEvery().toSeconds()));
    try {
      body.run();
    } finally {
      conf.unset(ClaimLease.LENGTH_SETTING);
      conf.unset(ClaimLease.RENEW_SETTING);
    }
  }

  static List<String> filesUnder(Path root) throws java.io.IOException {
    if (!Files.exists(root)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.map(p -> root.relativize(p).toString()).sorted().toList();
    }
  }

  private static Invocation startTogether(CyclicBarrier together, Path spec) throws Exception {
    together.await();
    return SampleWorkspace.cli("run", "--unsigned", "--spec", spec.toString());
  }
}
