package dev.eligibility.jobs.review;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.policy.EligibleSetClaims;
import dev.eligibility.jobs.policy.Facts;
import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.lineage.DecisionMode;
import dev.eligibility.lineage.RunRecord;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;

/**
 * What changed between two committed runs: every corpus row's outcome in the older run against
 * its outcome in the newer one, from the decisions each run kept ({@code decisions/} at the
 * version its manifest pins: every row's keys, facts and reasons, never payload).
 *
 * <p>A row is the same row in both runs when its corpus input, {@code record_id},
 * {@code source_kind} and {@code source_ref} are equal (nulls equal); rows repeated under the same
 * keys are paired in order of their outcome. A row present in one run only is {@code ABSENT} in
 * the other. Counts are computed by Spark; only the transitions (a few dozen) and the largest
 * organizations reach the driver, and record ids are streamed when asked for.
 */
public final class RunDiff {

  /** The outcome of a row a run did not have. */
  public static final String ABSENT = "ABSENT";
  /** The outcome of an eligible row. */
  public static final String ELIGIBLE = "ELIGIBLE";

  /** Rows whose outcome went from {@code from} to {@code to}. */
  public record Transition(String from, String to, long rows) {}

  /** An organization's rows that entered and left the eligible set. */
  public record OrganizationChange(String organizationId, long entered, long left) {}

  /** One row whose outcome changed: identifiers only. */
  public record ChangedRow(String corpusInput, String recordId, String sourceKind, String from, String to,
      String organizationId) {}

  /**
   * The difference, as counts.
   *
   * @param older the older run's id (or the current policy, for a policy trial)
   * @param newer the newer run's id (or the candidate policy)
   * @param entered rows eligible in the newer run that were not in the older
   * @param left rows eligible in the older run that are not in the newer
   * @param changed rows whose outcome changed at all (including between two reasons)
   * @param transitions every (old outcome, new outcome) pair with rows, largest first
   * @param organizations organizations with rows that entered or left
   * @param largestOrganizations those with the most such rows, largest first
   */
  public record Summary(String older, String newer, long entered, long left, long changed,
      List<Transition> transitions, long organizations, List<OrganizationChange> largestOrganizations) {}

  private static final String[] KEYS = {Facts.INPUT, "record_id", "source_kind", "source_ref"};

  private final String older;
  private final String newer;
  private final Dataset<Row> changedRows;

  private RunDiff(String older, String newer, Dataset<Row> changedRows) {
    this.older = older;
    this.newer = newer;
    this.changedRows = changedRows;
  }

  /** The difference from run {@code older} to run {@code newer}, from the decisions each kept. */
  public static RunDiff between(SparkSession spark, RunRecord older, RunRecord newer) {
    return of(older.run().runId(), newer.run().runId(), keptDecisions(spark, older), keptDecisions(spark, newer));
  }

  /**
   * The difference between two decisions of corpus rows ({@code older} and {@code newer}: the
   * decided keys with their facts and reasons, as a run decides and keeps them), named by
   * {@code olderName} and {@code newerName}.
   */
  public static RunDiff of(String olderName, String newerName, Dataset<Row> older, Dataset<Row> newer) {
    Dataset<Row> before = outcomes(older, "old");
    Dataset<Row> after = outcomes(newer, "new");
    Column same = before.col("old_occurrence").equalTo(after.col("new_occurrence"));
    for (String key : KEYS) {
      same = same.and(before.col("old_" + key).eqNullSafe(after.col("new_" + key)));
    }
    Dataset<Row> changed = before.join(after, same, "full_outer")
        .select(
            coalesce(col("new_" + Facts.INPUT), col("old_" + Facts.INPUT)).as("corpus_input"),
            coalesce(col("new_record_id"), col("old_record_id")).as("record_id"),
            coalesce(col("new_source_kind"), col("old_source_kind")).as("source_kind"),
            coalesce(col("old_outcome"), lit(ABSENT)).as("from"),
            coalesce(col("new_outcome"), lit(ABSENT)).as("to"),
            coalesce(col("new_organization"), col("old_organization")).as("organization_id"))
        .filter(col("from").notEqual(col("to")));
    return new RunDiff(olderName, newerName, changed);
  }

  /** The counts of the difference; the {@code organizations} organizations with most movement are listed. */
  public Summary summary(int organizations) {
    Dataset<Row> rows = changedRows.cache();
    try {
      List<Transition> transitions = new ArrayList<>();
      rows.groupBy("from", "to").agg(count(lit(1)).as("rows"))
          .orderBy(col("rows").desc(), col("from"), col("to")).collectAsList()
          .forEach(row -> transitions.add(new Transition(row.getString(0), row.getString(1), row.getLong(2))));
      long entered = transitions.stream().filter(t -> t.to().equals(ELIGIBLE)).mapToLong(Transition::rows).sum();
      long left = transitions.stream().filter(t -> t.from().equals(ELIGIBLE)).mapToLong(Transition::rows).sum();
      long changed = transitions.stream().mapToLong(Transition::rows).sum();
      Dataset<Row> byOrganization = rows.filter(col("organization_id").isNotNull())
          .filter(col("from").equalTo(ELIGIBLE).or(col("to").equalTo(ELIGIBLE)))
          .groupBy("organization_id")
          .agg(sum(when(col("to").equalTo(ELIGIBLE), 1L).otherwise(0L)).as("entered"),
              sum(when(col("from").equalTo(ELIGIBLE), 1L).otherwise(0L)).as("left"));
      long organizationCount = byOrganization.agg(countDistinct("organization_id")).first().getLong(0);
      List<OrganizationChange> largest = new ArrayList<>();
      byOrganization.orderBy(col("entered").plus(col("left")).desc(), col("organization_id")).limit(organizations)
          .collectAsList()
          .forEach(row -> largest.add(new OrganizationChange(row.getString(0), row.getLong(1), row.getLong(2))));
      return new Summary(older, newer, entered, left, changed, transitions, organizationCount, largest);
    } finally {
      rows.unpersist();
    }
  }

  /** The rows whose outcome changed, in record id order, streamed a partition at a time. */
  public Iterator<ChangedRow> changedRows() {
    Iterator<Row> rows = changedRows.orderBy(col("record_id"), col("corpus_input")).toLocalIterator();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public ChangedRow next() {
        Row row = rows.next();
        return new ChangedRow(row.getString(0), row.getString(1), row.getString(2), row.getString(3), row.getString(4),
            row.getString(5));
      }
    };
  }

  /** A run's kept decisions ({@code decisions/}) at the version its manifest pins. */
  private static Dataset<Row> keptDecisions(SparkSession spark, RunRecord record) {
    DecisionMode mode = record.decisionMode();
    String path = OutputLayout.of(record).decisions();
    try {
      return spark.read().format("delta").option("versionAsOf", mode.stateVersion()).load(path);
    } catch (RuntimeException e) {
      throw Errors.specConflict(path + " v" + mode.stateVersion(), "the decisions of run " + record.run().runId()
          + " cannot be read at the version its manifest pins (" + e.getClass().getSimpleName()
          + "; a vacuum past the audit window removes old versions)");
    }
  }

  /** Decided rows as keys, outcome, organization and occurrence among rows of equal keys. */
  private static Dataset<Row> outcomes(Dataset<Row> decisions, String side) {
    Column outcome = coalesce(col(Facts.REASON), lit(ELIGIBLE));
    List<Column> columns = new ArrayList<>();
    for (String key : KEYS) {
      columns.add(col(key).as(side + "_" + key));
    }
    columns.add(outcome.as(side + "_outcome"));
    columns.add(EligibleSetClaims.organization().as(side + "_organization"));
    columns.add(row_number().over(Window.partitionBy(KEYS[0], KEYS[1], KEYS[2], KEYS[3]).orderBy(outcome))
        .as(side + "_occurrence"));
    return decisions.select(columns.toArray(Column[]::new));
  }
}
