package dev.eligibility.jobs.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eligibility.jobs.errors.EligibilityException;
import dev.eligibility.jobs.errors.ErrorKind;
import dev.eligibility.jobs.testing.TestSpark;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One run at a time per output root: the claim, its lease, its release, and claims at the same moment. */
class OutputRootClaimTest {

  static final Instant NOW = Instant.parse("2026-11-25T02:00:00Z");
  static final Duration LEASE = Duration.ofHours(12);

  @TempDir
  Path folder;

  OutputRootClaim claimOn(Path root) {
    return new OutputRootClaim(TestSpark.session(), new OutputLayout(root.toString()));
  }

  @Test
  void aHeldRootRefusesOtherRunsUntilReleased() {
    OutputRootClaim claim = claimOn(folder.resolve("out"));
    OutputRootClaim.Holder first = claim.acquire("night-1", "app-1", NOW, LEASE);
    assertThat(claim.holder()).contains(first);

    assertThatThrownBy(() -> claim.acquire("night-2", "app-2", NOW.plusSeconds(60), LEASE))
        .isInstanceOfSatisfying(EligibilityException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BUSY))
        .hasMessageContaining("Run 'night-2' stopped before writing")
        .hasMessageContaining("run 'night-1' (Spark application app-1) claimed it at 2026-11-25T02:00:00Z")
        .hasMessageContaining("at the latest 2026-11-25T14:00:00Z")
        .hasMessageContaining("This run wrote nothing");
    assertThat(claim.holder()).contains(first);

    claim.release(first);
    assertThat(claim.holder()).isEmpty();
    OutputRootClaim.Holder second = claim.acquire("night-2", "app-2", NOW.plusSeconds(120), LEASE);
    assertThat(claim.holder()).contains(second);
  }

  @Test
  void anExpiredClaimCanBeTakenAndItsLateReleaseLeavesTheNewHolderAlone() {
    OutputRootClaim claim = claimOn(folder.resolve("out"));
    OutputRootClaim.Holder dead = claim.acquire("night-1", "app-1", NOW, LEASE);

    assertThatThrownBy(() -> claim.acquire("night-2", "app-2", NOW.plus(LEASE), LEASE))
        .as("a lease holds up to and including its last instant")
        .isInstanceOf(EligibilityException.class);
    OutputRootClaim.Holder next = claim.acquire("night-2", "app-2", NOW.plus(LEASE).plusSeconds(1), LEASE);

    claim.release(dead);
    assertThat(claim.holder()).contains(next);
  }

  @Test
  void unlockEndsOnlyTheNamedRunsClaim() {
    OutputRootClaim claim = claimOn(folder.resolve("out"));
    OutputRootClaim.Holder held = claim.acquire("night-1", "app-1", NOW, LEASE);

    assertThat(claim.release("night-0")).isFalse();
    assertThat(claim.holder()).contains(held);
    assertThat(claim.release("night-1")).isTrue();
    assertThat(claim.holder()).isEmpty();
    assertThat(claim.release("night-1")).isFalse();
  }

  @Test
  void ofRunsClaimingANewRootAtTheSameMomentExactlyOneWins() throws Exception {
    assertExactlyOneWins(folder.resolve("new"));
  }

  @Test
  void ofRunsClaimingAReleasedRootAtTheSameMomentExactlyOneWins() throws Exception {
    Path root = folder.resolve("used");
    OutputRootClaim claim = claimOn(root);
    claim.release(claim.acquire("night-0", "app-0", NOW, LEASE));
    assertExactlyOneWins(root);
  }

  private void assertExactlyOneWins(Path root) throws Exception {
    int runs = 3;
    CyclicBarrier together = new CyclicBarrier(runs);
    ExecutorService pool = Executors.newFixedThreadPool(runs);
    try {
      List<Future<String>> outcomes = new ArrayList<>();
      for (int i = 1; i <= runs; i++) {
        String runId = "night-" + i;
        outcomes.add(pool.submit(() -> {
          together.await();
          try {
            return "won " + claimOn(root).acquire(runId, "app", NOW.plusSeconds(3600), LEASE).runId();
          } catch (EligibilityException e) {
            assertThat(e.kind()).isEqualTo(ErrorKind.BUSY);
            return "refused";
          }
        }));
      }
      List<String> results = new ArrayList<>();
      for (Future<String> outcome : outcomes) {
        results.add(outcome.get());
      }
      assertThat(results).filteredOn(r -> r.startsWith("won")).hasSize(1);
      assertThat(results).filteredOn("refused"::equals).hasSize(runs - 1);
      String winner = results.stream().filter(r -> r.startsWith("won")).findFirst().orElseThrow().substring(4);
      assertThat(claimOn(root).holder()).hasValueSatisfying(h -> assertThat(h.runId()).isEqualTo(winner));
    } finally {
      pool.shutdownNow();
    }
  }
}
