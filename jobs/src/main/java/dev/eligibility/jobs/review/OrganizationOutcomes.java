package dev.eligibility.jobs.review;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.jobs.publication.RunRegistry;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.RunRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A committed run's rows per organization: its eligible rows (the registry's counts, checked
 * against the digest the manifest binds) and its excluded rows by reason ({@code exclusions/} at
 * the version the manifest pins, which names each row's organization). Only the organizations
 * asked for, or the largest few, ever reach the driver.
 */
public final class OrganizationOutcomes {

  /**
   * One organization's rows in the run.
   *
   * @param excludedByReason excluded rows per primary reason, reasons with rows only, largest first
   */
  public record Organization(String organizationId, long eligible, long excluded, Map<String, Long> excludedByReason) {}

  /**
   * @param largest the organizations with the most rows (eligible and excluded), largest first
   * @param organizations how many organizations have rows in the run
   */
  public record Largest(List<Organization> largest, long organizations) {}

  private final RunRecord record;
  private final Dataset<Row> eligibleByOrganization;
  private final Dataset<Row> exclusions;

  private OrganizationOutcomes(RunRecord record, Dataset<Row> eligibleByOrganization, Dataset<Row> exclusions) {
    this.record = record;
    this.eligibleByOrganization = eligibleByOrganization;
    this.exclusions = exclusions;
  }

  /** The outcomes of the run with {@code record}, whose manifest has {@code manifestDigest}. */
  public static OrganizationOutcomes of(SparkSession spark, RunRecord record, String manifestDigest) {
    OutputLayout layout = OutputLayout.of(record);
    Dataset<Row> eligible = new RunRegistry(spark, layout).organizationCountsAsRecorded(record, manifestDigest)
        .orElseThrow(() -> Errors.specConflict(layout.root() + "/registry",
            "its eligible rows per organization for run " + record.run().runId()
                + " are not the ones the manifest's digest binds"));
    OutputSnapshot excluded = record.output(OutputLayout.EXCLUSIONS)
        .orElseThrow(() -> Errors.specConflict("run record", "it names no exclusions output"));
    Dataset<Row> exclusions = spark.read().format("delta").option("versionAsOf", excluded.deltaVersion())
        .load(excluded.path())
        .filter(col("run_id").equalTo(lit(record.run().runId())))
        .select("organization_id", "reason");
    return new OrganizationOutcomes(record, eligible, exclusions);
  }

  /** The run's rows of {@code organizationId} (zero everywhere when it has none). */
  public Organization of(String organizationId) {
    long eligible = eligibleByOrganization.filter(col("organization_id").equalTo(lit(organizationId)))
        .agg(coalesce(sum("eligible_rows"), lit(0L))).first().getLong(0);
    Map<String, Long> byReason = byReason(exclusions.filter(col("organization_id").equalTo(lit(organizationId))));
    return new Organization(organizationId, eligible, byReason.values().stream().mapToLong(Long::longValue).sum(),
        byReason);
  }

  /** The {@code limit} organizations with the most rows in the run, and how many there are. */
  public Largest largest(int limit) {
    Dataset<Row> excludedByOrganization = exclusions.filter(col("organization_id").isNotNull())
        .groupBy("organization_id").agg(count(lit(1)).as("excluded_rows"));
    Dataset<Row> both = eligibleByOrganization
        .join(excludedByOrganization, eligibleByOrganization.col("organization_id")
            .equalTo(excludedByOrganization.col("organization_id")), "full_outer")
        .select(coalesce(eligibleByOrganization.col("organization_id"), excludedByOrganization.col("organization_id"))
                .as("organization_id"),
            coalesce(col("eligible_rows"), lit(0L)).as("eligible_rows"),
            coalesce(col("excluded_rows"), lit(0L)).as("excluded_rows"))
        .cache();
    try {
      long organizations = both.count();
      Dataset<Row> top = both.orderBy(col("eligible_rows").plus(col("excluded_rows")).desc(), col("organization_id"))
          .limit(limit).cache();
      // One pass over the exclusions for the reasons of all the largest organizations at once.
      Map<String, List<Row>> reasonsOf = new LinkedHashMap<>();
      for (Row row : exclusions.join(broadcast(top.select("organization_id")), "organization_id")
          .groupBy("organization_id", "reason").agg(count(lit(1)).as("rows")).collectAsList()) {
        reasonsOf.computeIfAbsent(row.getString(0), k -> new ArrayList<>()).add(row);
      }
      // Collected in the order the query gave: largest first.
      List<Organization> largest = new ArrayList<>();
      for (Row row : top.collectAsList()) {
        String organizationId = row.getString(0);
        largest.add(new Organization(organizationId, row.getLong(1), row.getLong(2),
            byReason(reasonsOf.getOrDefault(organizationId, List.of()), 1)));
      }
      top.unpersist();
      return new Largest(largest, organizations);
    } finally {
      both.unpersist();
    }
  }

  /** Excluded rows per reason, largest first, in policy order among equals. */
  private Map<String, Long> byReason(Dataset<Row> exclusionsOfSome) {
    return byReason(exclusionsOfSome.groupBy("reason").agg(count(lit(1)).as("rows")).collectAsList(), 0);
  }

  /** {@code rows} of (..., reason, rows) with the reason at {@code reasonAt}, as a map largest first. */
  private Map<String, Long> byReason(List<Row> rows, int reasonAt) {
    List<String> policyOrder = List.copyOf(record.counts().byReason().keySet());
    Map<String, Long> counts = new LinkedHashMap<>();
    rows.stream()
        .sorted((a, b) -> a.getLong(reasonAt + 1) != b.getLong(reasonAt + 1)
            ? Long.compare(b.getLong(reasonAt + 1), a.getLong(reasonAt + 1))
            : Integer.compare(policyOrder.indexOf(a.getString(reasonAt)), policyOrder.indexOf(b.getString(reasonAt))))
        .forEach(row -> counts.put(row.getString(reasonAt), row.getLong(reasonAt + 1)));
    return counts;
  }
}
