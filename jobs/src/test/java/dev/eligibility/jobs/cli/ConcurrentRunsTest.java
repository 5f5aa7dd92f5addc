package dev.eligibility.jobs.cli;

import static dev.eligibility.jobs.testing.SampleWorkspace.lineage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.output.OutputLayout;
import dev.eligibility.jobs.output.OutputRootClaim;
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

/** Two runs against one output root never both write it: one wins, the other stops with a clear message. */
class ConcurrentRunsTest {

  @TempDir
  Path folder;

  @Test
  void twoRunsStartedAtOnceLeaveOneCommittedRunAndAVerifiableRoot() throws Exception {
    SampleWorkspace workspace = SampleWorkspace.create(folder.resolve("samples"));
    Path root = folder.resolve("out");
    Path first = workspace.spec("base-model", root, s -> s.replace("run_id: sample-base-model", "run_id: night-a"));
    Path second = workspace.spec("base-model", root, s -> s.replace("run_id: sample-base-model", "run_id: night-b"));
    TestSpark.session();

    CyclicBarrier together = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Invocation> runs;
    try {
      Future<Invocation> a = pool.submit(() -> startTogether(together, first));
      Future<Invocation> b = pool.submit(() -> startTogether(together, second));
      runs = List.of(a.get(), b.get());
    } finally {
      pool.shutdownNow();
    }

    assertThat(runs).extracting(Invocation::exitCode).containsExactlyInAnyOrder(0, 6);
    Invocation lost = runs.stream().filter(r -> r.exitCode() == 6).findFirst().orElseThrow();
    assertThat(lost.err()).containsPattern("error: Run 'night-[ab]' stopped before writing: output root .* is in use: ")
        .contains("This run wrote nothing", "eligibility unlock --root");
    String winner = runs.stream().filter(r -> r.exitCode() == 0).findFirst().orElseThrow().out().contains("night-a")
        ? "night-a" : "night-b";

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
  void aRunAgainstARootHeldByAnotherRunStopsWithExitCode6AndWritesNoOutput() throws Exception {
    SampleWorkspace workspace = SampleWorkspace.create(folder.resolve("samples"));
    Path root = folder.resolve("out");
    OutputRootClaim claim = new OutputRootClaim(TestSpark.session(), new OutputLayout(root.toString()));
    OutputRootClaim.Holder held = claim.acquire("nightly-2026-11-24", "app-20261124", Instant.now(), Duration.ofHours(12));

    Invocation refused = SampleWorkspace.cli("run", "--unsigned", "--spec", workspace.spec("base-model", root, s -> s).toString());
    assertThat(refused.exitCode()).as(refused.err()).isEqualTo(6);
    assertThat(refused.err()).contains("is in use: run 'nightly-2026-11-24' (Spark application app-20261124)");
    assertThat(root.resolve("eligible")).doesNotExist();
    assertThat(root.resolve("manifests")).doesNotExist();
    assertThat(claim.holder()).contains(held);

    Invocation unlock = SampleWorkspace.cli("unlock", "--root", root.toString(), "--run-id", "nightly-2026-11-24");
    assertThat(unlock.exitCode()).as(unlock.err()).isZero();
    Invocation retried = SampleWorkspace.cli("run", "--unsigned", "--spec", workspace.spec("base-model", root, s -> s).toString());
    assertThat(retried.exitCode()).as(retried.err()).isZero();
  }

  private static Invocation startTogether(CyclicBarrier together, Path spec) throws Exception {
    together.await();
    return SampleWorkspace.cli("run", "--unsigned", "--spec", spec.toString());
  }
}
