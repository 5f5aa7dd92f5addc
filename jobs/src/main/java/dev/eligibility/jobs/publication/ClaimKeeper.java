package dev.eligibility.jobs.publication;

import dev.eligibility.jobs.errors.Errors;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps a run's claim on its output root alive: renews it every {@link ClaimLease#renewEvery()} on a
 * daemon thread, and releases it when closed. If a renewal finds the claim gone (the driver
 * stalled past its lease and another run took the root, or someone unlocked it), the run must not
 * publish: {@link #ensureHeld()} then throws.
 */
public final class ClaimKeeper implements AutoCloseable {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ClaimKeeper.class);

  private final OutputRootClaim claim;
  private final AtomicReference<Optional<OutputRootClaim.Holder>> held;
  private final ScheduledExecutorService renewer;
  private final String firstRunId;

  private ClaimKeeper(OutputRootClaim claim, OutputRootClaim.Holder holder, ClaimLease lease, Clock clock) {
    this.claim = claim;
    this.firstRunId = holder.runId();
    this.held = new AtomicReference<>(Optional.of(holder));
    this.renewer = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "eligibility-claim-renewal");
      thread.setDaemon(true);
      return thread;
    });
    long every = lease.renewEvery().toMillis();
    renewer.scheduleWithFixedDelay(() -> renew(lease, clock), every, every, TimeUnit.MILLISECONDS);
  }

  /** Starts renewing {@code holder}, just claimed. */
  public static ClaimKeeper keep(OutputRootClaim claim, OutputRootClaim.Holder holder, ClaimLease lease, Clock clock) {
    return new ClaimKeeper(claim, holder, lease, clock);
  }

  /**
   * Claims {@code layout}'s root for {@code claimant} now, as a run does before it writes (a live
   * holder stops it, a dead driver's claim is waited out, each wait reported to {@code notes}),
   * and keeps the claim: for the commands that change a root outside a run.
   */
  public static ClaimKeeper claimNow(org.apache.spark.sql.SparkSession spark, OutputLayout layout, String claimant,
      java.util.function.Consumer<String> notes) {
    OutputRootClaim claim = new OutputRootClaim(spark, layout);
    ClaimLease lease = ClaimLease.of(spark.conf());
    Clock clock = Clock.systemUTC();
    Optional<OutputRootClaim.Holder> stale = claim.awaitStale(claimant, lease, clock, notes);
    OutputRootClaim.Holder held = claim.acquire(claimant, spark.sparkContext().applicationId(), clock.instant(),
        lease.length(), stale);
    return keep(claim, held, lease, clock);
  }

  /** Throws unless the claim is still this run's: checked before each write that publishes. */
  public void ensureHeld() {
    OutputRootClaim.Holder current = held.get().orElse(null);
    if (current == null || !claim.holder().map(h -> h.claimId().equals(current.claimId())).orElse(false)) {
      throw Errors.claimLost(runIdOf(current), claim.root());
    }
  }

  private String runIdOf(OutputRootClaim.Holder current) {
    return current != null ? current.runId() : firstRunId;
  }

  private void renew(ClaimLease lease, Clock clock) {
    held.get().ifPresent(current -> {
      try {
        Optional<OutputRootClaim.Holder> renewed = claim.renew(current, clock.instant(), lease.length());
        if (renewed.isEmpty()) {
          LOG.warn("The claim of run {} on its output root is no longer its own; the run will stop before"
              + " publishing", current.runId());
        }
        held.set(renewed);
      } catch (Exception e) { // Delta's analysis errors are checked exceptions thrown undeclared
        // A storage hiccup: the next renewal tries again; the lease outlasts a few missed renewals.
        // (An exception escaping this task would cancel every later renewal.)
        LOG.warn("Could not renew the claim of run {} on its output root: {}", current.runId(), e.toString());
      }
    });
  }

  /** Stops renewing and releases the claim (if it is still this run's). */
  @Override
  public void close() {
    renewer.shutdownNow();
    try {
      renewer.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    held.get().ifPresent(current -> {
      try {
        claim.release(current);
      } catch (RuntimeException e) {
        LOG.warn("Could not release the claim of run {} on its output root; it lapses at {} or ends with"
            + " 'eligibility unlock'", current.runId(), current.leaseUntil(), e);
      }
    });
  }
}
