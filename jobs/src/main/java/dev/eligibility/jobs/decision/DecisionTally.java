package dev.eligibility.jobs.decision;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.eligibility.jobs.policy.EligibleSetClaims;
import dev.eligibility.jobs.policy.Facts;
import dev.eligibility.jobs.policy.Reason;
import dev.eligibility.jobs.policy.RunContext;
import dev.eligibility.jobs.policy.SourceKind;
import dev.eligibility.jobs.policy.UpstreamChecks;
import dev.eligibility.lineage.DecisionCounts;
import dev.eligibility.lineage.DecisionCounts.KindCounts;
import dev.eligibility.lineage.NegativeClaims;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Counts a run's outcomes by source kind and reason, and its upstream warnings, in one Spark job
 * whose result has at most (kinds + 2) × (reasons + 1) × (corpus inputs) rows.
 *
 * @param counts outcome counts
 * @param retainedDespiteNoRetention rows for {@link UpstreamChecks#RETAINED_DESPITE_NO_RETENTION}
 * @param notDeletedAfterRetention rows for {@link UpstreamChecks#NOT_DELETED_AFTER_RETENTION}
 * @param negativeClaims eligible rows that break a negative claim (all zero when the rules hold)
 * @param rowsByInput decided rows per corpus input, by input name
 */
public record DecisionTally(
    DecisionCounts counts, long retainedDespiteNoRetention, long notDeletedAfterRetention, NegativeClaims negativeClaims,
    Map<String, Long> rowsByInput) {

  public DecisionTally {
    rowsByInput = Map.copyOf(rowsByInput);
  }

  /** Label for a {@code source_kind} that is null. */
  public static final String NULL_KIND = "(null)";
  /** Label for a {@code source_kind} that is not a known kind. */
  public static final String INVALID_KIND = "(invalid)";

  public static DecisionTally of(Dataset<Row> decided, RunContext run) {
    Column kind = col("source_kind");
    Column kindLabel = when(kind.isNull(), lit(NULL_KIND))
        .when(kind.isin(SourceKind.names().toArray()), kind)
        .otherwise(lit(INVALID_KIND));
    List<Row> groups = decided
        .groupBy(kindLabel.as("kind"), col(Facts.REASON).as("reason"), col(Facts.INPUT).as("input"))
        .agg(count(lit(1)).as("rows"),
            sum(when(UpstreamChecks.retainedDespiteNoRetention(run), 1L).otherwise(0L)).as("retained"),
            sum(when(UpstreamChecks.notDeletedAfterRetention(run), 1L).otherwise(0L)).as("not_deleted"),
            eligibleWhere(EligibleSetClaims.zeroDataRetention()),
            eligibleWhere(EligibleSetClaims.nonRetainedEndpoint(run)),
            eligibleWhere(EligibleSetClaims.fineTunedModelIo()),
            eligibleWhere(EligibleSetClaims.deletedOrForeignFineTuneFile(run)),
            eligibleWhere(EligibleSetClaims.postCutoffWithoutOptIn(run)))
        .collectAsList();

    Map<String, Long> byReason = new LinkedHashMap<>();
    for (Reason reason : Reason.values()) {
      byReason.put(reason.name(), 0L);
    }
    Map<String, long[]> byKind = new TreeMap<>();
    long eligible = 0;
    long excluded = 0;
    long retained = 0;
    long notDeleted = 0;
    long[] claims = new long[5];
    Map<String, Long> byInput = new TreeMap<>();
    for (Row group : groups) {
      byInput.merge(group.getString(2), group.getLong(3), Long::sum);
      for (int i = 0; i < claims.length; i++) {
        claims[i] += group.getLong(6 + i);
      }
      long rows = group.getLong(3);
      long[] kindCounts = byKind.computeIfAbsent(group.getString(0), k -> new long[2]);
      if (group.isNullAt(1)) {
        eligible += rows;
        kindCounts[0] += rows;
      } else {
        excluded += rows;
        kindCounts[1] += rows;
        byReason.merge(group.getString(1), rows, Long::sum);
      }
      retained += group.getLong(4);
      notDeleted += group.getLong(5);
    }
    Map<String, KindCounts> kinds = new TreeMap<>();
    byKind.forEach((k, v) -> kinds.put(k, new KindCounts(v[0], v[1])));
    return new DecisionTally(
        new DecisionCounts(eligible + excluded, eligible, excluded, byReason, kinds), retained, notDeleted,
        new NegativeClaims(claims[0], claims[1], claims[2], claims[3], claims[4]), byInput);
  }

  /** Column names of {@link #eligibleRowsByOrganization}. */
  public static final String ORGANIZATION_ID = "organization_id";
  public static final String ELIGIBLE_ROWS = "eligible_rows";

  /**
   * Eligible rows per organization whose data they are ({@link #ORGANIZATION_ID},
   * {@link #ELIGIBLE_ROWS}): a distributed aggregation, one row per organization, never collected.
   */
  public static Dataset<Row> eligibleRowsByOrganization(Dataset<Row> decided) {
    return decided.filter(col(Facts.REASON).isNull())
        .select(EligibleSetClaims.organization().as(ORGANIZATION_ID))
        .filter(col(ORGANIZATION_ID).isNotNull())
        .groupBy(ORGANIZATION_ID)
        .agg(org.apache.spark.sql.functions.count(lit(1)).as(ELIGIBLE_ROWS));
  }

  private static Column eligibleWhere(Column condition) {
    return sum(when(col(Facts.REASON).isNull().and(org.apache.spark.sql.functions.coalesce(condition, lit(true))), 1L)
        .otherwise(0L));
  }
}
