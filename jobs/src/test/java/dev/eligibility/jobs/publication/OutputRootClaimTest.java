package dev.eligibility.jobs.publication;

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
        .hasMessageContaining("the claim lapses at 2026-11-25T14:00:00Z unless renewed")
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
  void aRenewedClaimHoldsPastItsFirstLeaseAndARefusedClaimWritesNothing() throws Exception {
    Path root = folder.resolve("out");
    OutputRootClaim claim = claimOn(root);
    OutputRootClaim.Holder held = claim.acquire("night-1", "app-1", NOW, LEASE);
    OutputRootClaim.Holder renewed = claim.renew(held, NOW.plus(LEASE).minusSeconds(1), LEASE).orElseThrow();
    assertThat(renewed.leaseUntil()).isEqualTo(NOW.plus(LEASE).minusSeconds(1).plus(LEASE));
    assertThat(claim.holder()).contains(renewed);

    List<String> before = filesUnder(root);
    assertThatThrownBy(() -> claim.acquire("night-2", "app-2", NOW.plus(LEASE).plusSeconds(1), LEASE))
        .isInstanceOf(EligibilityException.class);
    assertThat(filesUnder(root)).as("a refused claim commits no version and leaves no file").isEqualTo(before);
  }

  @Test
  void aClaimTakenOverIsNoLongerRenewedByItsFormerHolder() {
    OutputRootClaim claim = claimOn(folder.resolve("out"));
    OutputRootClaim.Holder dead = claim.acquire("night-1", "app-1", NOW, LEASE);
    OutputRootClaim.Holder next = claim.acquire("night-2", "app-2", NOW.plus(LEASE).plusSeconds(1), LEASE);
    assertThat(claim.renew(dead, NOW.plus(LEASE).plusSeconds(2), LEASE)).isEmpty();
    assertThat(claim.holder()).contains(next);
  }

  @Test
  void aClaimLeftUnrenewedForAWholeLeaseIsWaitedOutAndTakenOverWhateverTheHoldersClock() {
    OutputRootClaim claim = claimOn(folder.resolve("out"));
    ClaimLease shortLease = new ClaimLease(Duration.ofSeconds(2), Duration.ofSeconds(1));
    // The holder's clock ran a day ahead: by its lease, the claim holds until tomorrow.
    OutputRootClaim.Holder dead = claim.acquire("night-1", "app-1", Instant.now().plus(Duration.ofDays(1)),
        shortLease.length());
    List<String> notes = new ArrayList<>();
    java.util.Optional<OutputRootClaim.Holder> stale =
        claim.awaitStale("night-1", shortLease, java.time.Clock.systemUTC(), notes::add);
    assertThat(stale).contains(dead);
    assertThat(notes).singleElement().asString().contains("is claimed: run 'night-1'", "Waiting up to 2 s");
    assertThatThrownBy(() -> claim.acquire("night-1", "app-2", Instant.now(), shortLease.length()))
        .as("without having watched it, the claim still looks held").isInstanceOf(EligibilityException.class);
    OutputRootClaim.Holder retry = claim.acquire("night-1", "app-2", Instant.now(), shortLease.length(), stale);
    assertThat(claim.holder()).contains(retry);
  }

  @Test
  void aClaimThatIsRenewedWhileWaitedOnMeansALiveRunAndStopsTheWait() throws Exception {
    OutputRootClaim claim = claimOn(folder.resolve("out"));
    ClaimLease lease = new ClaimLease(Duration.ofSeconds(6), Duration.ofSeconds(2));
    OutputRootClaim.Holder live = claim.acquire("night-1", "app-1", Instant.now(), lease.length());
    try (ClaimKeeper keeper = ClaimKeeper.keep(claim, live, lease, java.time.Clock.systemUTC())) {
      assertThatThrownBy(() -> claim.awaitStale("night-2", lease, java.time.Clock.systemUTC(), note -> { }))
          .isInstanceOfSatisfying(EligibilityException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BUSY))
          .hasMessageContaining("run 'night-1' (Spark application app-1)");
      keeper.ensureHeld();
    }
    assertThat(claim.holder()).as("closing the keeper released the claim").isEmpty();
  }

  @Test
  void aKeeperWhoseClaimWasUnlockedRefusesToPublish() {
    OutputRootClaim claim = claimOn(folder.resolve("out"));
    OutputRootClaim.Holder held = claim.acquire("night-1", "app-1", Instant.now(), LEASE);
    try (ClaimKeeper keeper = ClaimKeeper.keep(claim, held, ClaimLease.DEFAULT, java.time.Clock.systemUTC())) {
      assertThat(claim.release("night-1")).isTrue();
      assertThatThrownBy(keeper::ensureHeld)
          .isInstanceOfSatisfying(EligibilityException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INFRASTRUCTURE))
          .hasMessageContaining("lost its claim on the output root");
    }
  }

  private static List<String> filesUnder(Path root) throws java.io.IOException {
    try (var files = java.nio.file.Files.walk(root)) {
      return files.map(p -> root.relativize(p).toString()).sorted().toList();
    }
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
