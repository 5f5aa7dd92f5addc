package dev.eligibility.jobs.output;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.eligibility.jobs.errors.Errors;
import io.delta.tables.DeltaTable;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ConcurrentModificationException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One run at a time per output root. A run claims the root before it writes anything and releases
 * it when it ends, committed or failed; a second run that starts meanwhile is refused with the
 * holder's name, having written nothing.
 *
 * <p>The claim is the single row of the Delta table {@code registry/claim}, taken with a
 * {@code MERGE} that only replaces a released or expired claim. Two runs claiming at the same
 * moment both read the row's version N and both try to commit N+1; Delta's optimistic
 * concurrency lets exactly one commit and fails the other with a concurrent-modification error.
 * That guarantee is the LogStore's: it holds on local disks and HDFS, and on S3 only with the
 * DynamoDB-backed LogStore ({@code conf/spark-s3.conf}); with S3's default single-driver store,
 * only runs of one driver are kept apart.
 *
 * <p>A driver that dies without releasing leaves its claim until its lease ends; {@link #release}
 * by run id (the {@code unlock} command) ends it sooner.
 */
public final class OutputRootClaim {

  /** How long a claim holds when its run neither commits nor fails (its driver died). */
  public static final Duration DEFAULT_LEASE = Duration.ofHours(12);

  private static final String SLOT = "output-root";

  static final StructType SCHEMA = new StructType()
      .add("slot", DataTypes.StringType, false)
      .add("claim_id", DataTypes.StringType, true)
      .add("run_id", DataTypes.StringType, true)
      .add("application_id", DataTypes.StringType, true)
      .add("claimed_at", DataTypes.TimestampType, true)
      .add("lease_until", DataTypes.TimestampType, true);

  private final SparkSession spark;
  private final OutputLayout layout;

  public OutputRootClaim(SparkSession spark, OutputLayout layout) {
    this.spark = spark;
    this.layout = layout;
  }

  /** Who holds the root, as recorded in the claim row. */
  public record Holder(String claimId, String runId, String applicationId, Instant claimedAt, Instant leaseUntil) {}

  /**
   * Claims the root for {@code runId}, or throws a conflict naming the holder.
   *
   * @return the claim, to be passed to {@link #release(Holder)} when the run ends
   */
  public Holder acquire(String runId, String applicationId, Instant now, Duration lease) {
    Instant at = now.truncatedTo(ChronoUnit.MICROS); // what a Delta timestamp holds
    Holder wanted = new Holder(UUID.randomUUID().toString(), runId, applicationId, at, at.plus(lease));
    try {
      ensureTable();
      DeltaTable.forPath(spark, layout.registryClaim()).as("held")
          .merge(spark.createDataFrame(List.of(row(wanted)), SCHEMA).as("wanted"), "held.slot = wanted.slot")
          .whenMatched("held.claim_id IS NULL OR held.lease_until < wanted.claimed_at").updateAll()
          .whenNotMatched().insertAll()
          .execute();
    } catch (ConcurrentModificationException e) {
      throw Errors.outputRootBusy(layout.root(), runId, "another run claimed it at the same moment");
    }
    Holder holder = holder().orElseThrow(() -> new IllegalStateException("the claim row vanished"));
    if (!holder.claimId().equals(wanted.claimId())) {
      throw Errors.outputRootBusy(layout.root(), runId, describe(holder));
    }
    return wanted;
  }

  /** Ends {@code claim}, if it still holds; a no-op when it expired and another run took the root. */
  public void release(Holder claim) {
    clear("claim_id", claim.claimId());
  }

  /** Ends the claim of {@code runId}, whoever made it; for a run whose driver died. */
  public boolean release(String runId) {
    if (holder().filter(h -> runId.equals(h.runId())).isEmpty()) {
      return false;
    }
    clear("run_id", runId);
    return true;
  }

  /** The current holder, if the root is claimed (expired claims included). */
  public Optional<Holder> holder() {
    if (!DeltaTable.isDeltaTable(spark, layout.registryClaim())) {
      return Optional.empty();
    }
    return spark.read().format("delta").load(layout.registryClaim())
        .filter(col("claim_id").isNotNull())
        .collectAsList().stream()
        .findFirst()
        .map(r -> new Holder(r.getString(1), r.getString(2), r.getString(3), r.getTimestamp(4).toInstant(),
            r.getTimestamp(5).toInstant()));
  }

  private void clear(String column, String value) {
    Map<String, org.apache.spark.sql.Column> released = Map.of(
        "claim_id", lit(null).cast(DataTypes.StringType),
        "run_id", lit(null).cast(DataTypes.StringType),
        "application_id", lit(null).cast(DataTypes.StringType),
        "claimed_at", lit(null).cast(DataTypes.TimestampType),
        "lease_until", lit(null).cast(DataTypes.TimestampType));
    // A release only races a claim attempt, which changes nothing while the root is held; retry that.
    for (int attempt = 1; ; attempt++) {
      try {
        DeltaTable.forPath(spark, layout.registryClaim()).update(col(column).equalTo(lit(value)), released);
        return;
      } catch (ConcurrentModificationException e) {
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  /** Creates the claim table (one released row) unless it exists; two creators at once are fine. */
  private void ensureTable() {
    if (DeltaTable.isDeltaTable(spark, layout.registryClaim())) {
      return;
    }
    Row released = RowFactory.create(SLOT, null, null, null, null, null);
    try {
      spark.createDataFrame(List.of(released), SCHEMA).write().format("delta").mode("errorifexists")
          .save(layout.registryClaim());
    } catch (RuntimeException e) {
      if (!DeltaTable.isDeltaTable(spark, layout.registryClaim())) {
        throw e;
      }
    }
  }

  private static Row row(Holder holder) {
    return RowFactory.create(SLOT, holder.claimId(), holder.runId(), holder.applicationId(),
        Timestamp.from(holder.claimedAt()), Timestamp.from(holder.leaseUntil()));
  }

  private static String describe(Holder holder) {
    return "run '" + holder.runId() + "' (Spark application " + holder.applicationId() + ") claimed it at "
        + holder.claimedAt() + " and holds it until it ends, at the latest " + holder.leaseUntil();
  }
}
