package dev.eligibility.jobs.publication;

import dev.eligibility.jobs.errors.Errors;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaOperations;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.Metadata;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Option;
import scala.Tuple2;
import scala.collection.JavaConverters;

/**
 * One run at a time per output root: a lease the live driver renews. A run claims the root once
 * its inputs have been validated, renews the claim while it works ({@link ClaimKeeper}) and
 * releases it when it ends, committed or failed. A driver that dies stops renewing, and its claim
 * lapses a short lease later, so a scheduler's plain retry proceeds on its own.
 *
 * <p>The claim lives in the table properties of the Delta table {@code registry/claim}, which
 * holds no rows: every claim, renewal and release is one commit that changes only the table's
 * metadata, made in a Delta transaction that read the claim it replaces. Two runs claiming at the
 * same moment both read version N and both try to commit N+1; Delta's optimistic concurrency lets
 * exactly one commit and fails the other with a metadata conflict, before it wrote any file. A
 * run that finds the root held commits nothing at all. The guarantee is the LogStore's: it holds
 * on local disks and HDFS, and on S3 only with the DynamoDB-backed LogStore
 * ({@code conf/spark-s3.conf}); with S3's default single-driver store, only runs of one driver are
 * kept apart.
 */
public final class OutputRootClaim {

  private static final String PREFIX = "eligibility.claim.";
  private static final String CLAIM_ID = PREFIX + "id";
  private static final String RUN_ID = PREFIX + "runId";
  private static final String APPLICATION_ID = PREFIX + "applicationId";
  private static final String CLAIMED_AT = PREFIX + "claimedAt";
  private static final String RENEWED_AT = PREFIX + "renewedAt";
  private static final String LEASE_UNTIL = PREFIX + "leaseUntil";

  /** The claim table holds no rows; a column is there because a Delta table needs a schema. */
  private static final StructType SCHEMA = new StructType().add("claim", DataTypes.StringType, true);

  private static final String DESCRIPTION = "Which run holds this output root: table properties eligibility.claim.*,"
      + " renewed by the live run (no rows)";

  /** Claims, renewals and releases leave one small log file each; a week of them is plenty to look back on. */
  private static final Map<String, String> TABLE_PROPERTIES = Map.of(
      "delta.logRetentionDuration", "interval 7 days",
      "delta.checkpointRetentionDuration", "interval 7 days");

  private final SparkSession spark;
  private final OutputLayout layout;

  public OutputRootClaim(SparkSession spark, OutputLayout layout) {
    this.spark = spark;
    this.layout = layout;
  }

  /** The output root this claim is on. */
  public String root() {
    return layout.root();
  }

  /** Who holds the root: the run, its Spark application, when it claimed, last renewed, and until when. */
  public record Holder(String claimId, String runId, String applicationId, Instant claimedAt, Instant renewedAt,
      Instant leaseUntil) {

    /** Whether the lease has ended by {@code now}; it holds up to and including its last instant. */
    public boolean lapsedAt(Instant now) {
      return now.isAfter(leaseUntil);
    }

    /** The same claim, renewed at {@code now}. */
    Holder renewed(Instant now, Duration lease) {
      Instant at = now.truncatedTo(ChronoUnit.MICROS);
      return new Holder(claimId, runId, applicationId, claimedAt, at, at.plus(lease));
    }

    String describe() {
      return "run '" + runId + "' (Spark application " + applicationId + ") claimed it at " + claimedAt
          + ", last renewed its claim at " + renewedAt + ", and holds it until it ends; the claim lapses at "
          + leaseUntil + " unless renewed";
    }

    Map<String, String> properties() {
      return Map.of(CLAIM_ID, claimId, RUN_ID, runId, APPLICATION_ID, applicationId,
          CLAIMED_AT, claimedAt.toString(), RENEWED_AT, renewedAt.toString(), LEASE_UNTIL, leaseUntil.toString());
    }

    static Optional<Holder> of(Map<String, String> properties) {
      String claimId = properties.get(CLAIM_ID);
      if (claimId == null || claimId.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(new Holder(claimId, properties.get(RUN_ID), properties.get(APPLICATION_ID),
          Instant.parse(properties.get(CLAIMED_AT)), Instant.parse(properties.get(RENEWED_AT)),
          Instant.parse(properties.get(LEASE_UNTIL))));
    }
  }

  /** The current holder, if the root is claimed (lapsed claims included). */
  public Optional<Holder> holder() {
    DeltaLog log = DeltaLog.forTable(spark, layout.registryClaim());
    var snapshot = log.update(false, Option.empty(), Option.empty());
    return snapshot.version() < 0 ? Optional.empty() : Holder.of(javaMap(snapshot.metadata().configuration()));
  }

  /**
   * Claims the root for {@code runId}, or throws a conflict naming the holder. A claim that lapsed
   * by {@code now}, or {@code observedStale} (a claim the caller watched go unrenewed for a whole
   * lease, see {@link #awaitStale}), is taken over.
   *
   * @return the claim, to be renewed with {@link #renew} and ended with {@link #release(Holder)}
   */
  public Holder acquire(String runId, String applicationId, Instant now, Duration lease, Optional<Holder> observedStale) {
    Instant at = now.truncatedTo(ChronoUnit.MICROS);
    Holder wanted = new Holder(UUID.randomUUID().toString(), runId, applicationId, at, at, at.plus(lease));
    boolean committed;
    try {
      committed = change(current -> {
        if (current.isPresent() && !current.get().lapsedAt(now) && !current.equals(observedStale)) {
          throw Errors.outputRootBusy(layout.root(), runId, current.get().describe());
        }
        return Optional.of(wanted.properties());
      });
    } catch (ConcurrentModificationException e) {
      committed = false;
    }
    if (!committed) {
      throw Errors.outputRootBusy(layout.root(), runId, "another run claimed it at the same moment"
          + holder().map(h -> " (" + h.describe() + ")").orElse(""));
    }
    return wanted;
  }

  /** Same as {@link #acquire(String, String, Instant, Duration, Optional)} with nothing observed. */
  public Holder acquire(String runId, String applicationId, Instant now, Duration lease) {
    return acquire(runId, applicationId, now, lease, Optional.empty());
  }

  /**
   * Extends {@code claim}'s lease from {@code now}.
   *
   * @return the renewed claim, or empty when the claim is no longer this run's (it lapsed and
   *     another run took the root, or someone unlocked it)
   */
  public Optional<Holder> renew(Holder claim, Instant now, Duration lease) {
    Holder renewed = claim.renewed(now, lease);
    for (int attempt = 1; ; attempt++) {
      try {
        boolean stillOurs = change(current -> current.filter(h -> h.claimId().equals(claim.claimId()))
            .map(h -> renewed.properties()));
        return stillOurs ? Optional.of(renewed) : Optional.empty();
      } catch (ConcurrentModificationException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  /** Ends {@code claim}, if it still holds; a no-op when it lapsed and another run took the root. */
  public void release(Holder claim) {
    releaseWhere(h -> h.claimId().equals(claim.claimId()));
  }

  /** Ends the claim of {@code runId}, whoever made it; for a run whose driver died. */
  public boolean release(String runId) {
    return releaseWhere(h -> runId.equals(h.runId()));
  }

  /**
   * Waits while the root is held by a claim that has not lapsed and is not being renewed: a driver
   * that died moments ago. Returns at once when the root is free or its claim lapsed; throws a
   * conflict as soon as the claim is renewed or replaced (a live run holds the root).
   *
   * @return the claim that went unrenewed for a whole lease, if one was waited out; pass it to
   *     {@link #acquire}, which may then take it over whatever the holder's clock said
   */
  public Optional<Holder> awaitStale(String runId, ClaimLease lease, java.time.Clock clock,
      java.util.function.Consumer<String> waiting) {
    Optional<Holder> seen = holder();
    if (seen.isEmpty() || seen.get().lapsedAt(clock.instant())) {
      return Optional.empty();
    }
    Duration pollEvery = lease.renewEvery().dividedBy(2);
    Instant giveUpWaiting = clock.instant().plus(lease.length()).plus(pollEvery);
    waiting.accept("output root " + layout.root() + " is claimed: " + seen.get().describe()
        + ". Waiting up to " + lease.length().toSeconds() + " s for a renewal, which a live run makes every "
        + lease.renewEvery().toSeconds() + " s; a claim left by a dead driver is taken over then");
    while (true) {
      sleep(pollEvery);
      Optional<Holder> now = holder();
      if (now.isEmpty() || now.get().lapsedAt(clock.instant())) {
        return Optional.empty();
      }
      if (!now.equals(seen)) {
        throw Errors.outputRootBusy(layout.root(), runId, now.get().describe());
      }
      if (!clock.instant().isBefore(giveUpWaiting)) {
        return seen;
      }
    }
  }

  private boolean releaseWhere(java.util.function.Predicate<Holder> whose) {
    // A release races only a renewal of the same claim or a takeover; retry what conflicted.
    for (int attempt = 1; ; attempt++) {
      try {
        return change(current -> current.filter(whose).map(h -> Map.of()));
      } catch (ConcurrentModificationException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  /**
   * One transaction on the claim table: {@code decide} sees the current holder and returns the
   * claim properties to commit (an empty map releases), or empty to commit nothing.
   *
   * @return whether a commit was made
   * @throws ConcurrentModificationException when another commit came first
   */
  private boolean change(Function<Optional<Holder>, Optional<Map<String, String>>> decide) {
    DeltaLog log = DeltaLog.forTable(spark, layout.registryClaim());
    OptimisticTransaction transaction = log.startTransaction();
    boolean newTable = transaction.readVersion() < 0;
    Map<String, String> properties = newTable ? new HashMap<>(TABLE_PROPERTIES)
        : new HashMap<>(javaMap(transaction.metadata().configuration()));
    Optional<Map<String, String>> claim = decide.apply(newTable ? Optional.empty() : Holder.of(properties));
    if (claim.isEmpty()) {
      return false;
    }
    properties.keySet().removeIf(key -> key.startsWith(PREFIX));
    properties.putAll(claim.get());
    Metadata current = transaction.metadata();
    Metadata next = newTable
        ? Metadata.apply(UUID.randomUUID().toString(), null, DESCRIPTION, Metadata.apply$default$4(), SCHEMA.json(),
            Metadata.apply$default$6(), scalaMap(properties), Option.apply(System.currentTimeMillis()))
        : Metadata.apply(current.id(), current.name(), current.description(), current.format(),
            current.schemaString(), current.partitionColumns(), scalaMap(properties), current.createdTime());
    transaction.updateMetadata(next, false);
    transaction.commit(JavaConverters.asScalaBuffer(new ArrayList<Action>()).toSeq(),
        new DeltaOperations.SetTableProperties(scalaMap(claim.get())));
    return true;
  }

  private static Map<String, String> javaMap(scala.collection.Map<String, String> map) {
    return JavaConverters.mapAsJavaMap(map);
  }

  private static scala.collection.immutable.Map<String, String> scalaMap(Map<String, String> map) {
    scala.collection.immutable.Map<String, String> result = new scala.collection.immutable.HashMap<>();
    for (Map.Entry<String, String> entry : map.entrySet()) {
      result = result.$plus(new Tuple2<>(entry.getKey(), entry.getValue()));
    }
    return result;
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the output root", e);
    }
  }
}
