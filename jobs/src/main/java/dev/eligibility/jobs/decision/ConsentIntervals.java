package dev.eligibility.jobs.decision;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.last;
import static org.apache.spark.sql.functions.lead;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import dev.eligibility.jobs.policy.ConsentState;
import dev.eligibility.jobs.policy.Definitions;
import dev.eligibility.jobs.policy.Term;
import java.sql.Timestamp;
import java.time.Instant;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataTypes;

/**
 * Consent events turned into validity intervals, one table row per scope and interval.
 *
 * <p>A scope is an organization ({@code project_id} null) or one of its projects. Within a scope,
 * the events visible at {@code as_of} are grouped by {@code effective_at} ({@code OPT_OUT} wins
 * a tie), and each distinct instant starts an interval {@code [valid_from, valid_to)} holding
 * that state until the next one; a leading interval from the beginning of time holds
 * {@code NONE}. Every interval row also carries the scope's state at {@code as_of}, so one range
 * join gives a request both of its states. The intervals of a scope cover all time without
 * overlap, so a request matches at most one interval per scope.
 *
 * <p>An organization with any malformed visible event (decision null or unknown, a null
 * {@code effective_at} or {@code recorded_at}) gets a single interval over all time with
 * {@code OPT_OUT}, and its other events are ignored: deny overrides, so nothing else matters.
 */
public final class ConsentIntervals {

  public static final String ORG = "org_id";
  public static final String PROJECT = "project_id";
  public static final String VALID_FROM = "valid_from";
  public static final String VALID_TO = "valid_to";
  public static final String STATE = "state";
  public static final String STATE_AT_AS_OF = "state_at_as_of";

  private ConsentIntervals() {}

  /** Events that exist for the run: recorded at or before as_of, or with no recording time. */
  public static Dataset<Row> visibleEvents(Dataset<Row> events, Instant asOf) {
    return events.filter(Definitions.visibleAt(Term.field("recorded_at"), asOf).column());
  }

  /** True for an event that cannot be read, and so makes its organization opt out. */
  public static Column malformed() {
    return Definitions.malformedConsentEvent().column();
  }

  /** Organizations with at least one malformed visible event (column {@code org_id}). */
  public static Dataset<Row> poisonedOrganizations(Dataset<Row> visibleEvents) {
    return visibleEvents.filter(malformed()).select(col(ORG)).distinct();
  }

  /** The intervals of every scope with a visible event. Columns: see the constants. */
  public static Dataset<Row> build(Dataset<Row> events, Instant asOf) {
    Timestamp asOfLiteral = Timestamp.from(asOf);
    Dataset<Row> visible = visibleEvents(events, asOf);
    Dataset<Row> poisonedOrgs = poisonedOrganizations(visible);
    Dataset<Row> wellFormed = visible.filter(not(coalesce(malformed(), lit(false))))
        .join(poisonedOrgs.select(col(ORG).as("poisoned_org")), col(ORG).equalTo(col("poisoned_org")), "left_anti");

    Dataset<Row> perInstant = wellFormed
        .groupBy(col(ORG), col(PROJECT), col("effective_at"))
        .agg(max(when(col("decision").equalTo(ConsentState.OPT_OUT.name()), 1).otherwise(0)).as("opt_out"))
        .select(col(ORG), col(PROJECT), col("effective_at").as(VALID_FROM),
            when(col("opt_out").equalTo(1), lit(ConsentState.OPT_OUT.name()))
                .otherwise(lit(ConsentState.OPT_IN.name())).as(STATE));

    WindowSpec inOrder = Window.partitionBy(col(ORG), col(PROJECT)).orderBy(col(VALID_FROM));
    WindowSpec wholeScope = inOrder.rowsBetween(Window.unboundedPreceding(), Window.unboundedFollowing());
    Dataset<Row> eventIntervals = perInstant
        .withColumn(VALID_TO, lead(col(VALID_FROM), 1).over(inOrder))
        .withColumn(STATE_AT_AS_OF, coalesce(
            last(when(col(VALID_FROM).leq(lit(asOfLiteral)), col(STATE)), true).over(wholeScope),
            lit(ConsentState.NONE.name())));

    Dataset<Row> leadingNone = eventIntervals
        .groupBy(col(ORG), col(PROJECT))
        .agg(min(col(VALID_FROM)).as(VALID_TO), first(col(STATE_AT_AS_OF)).as(STATE_AT_AS_OF))
        .select(col(ORG), col(PROJECT), lit(null).cast(DataTypes.TimestampType).as(VALID_FROM),
            col(VALID_TO), lit(ConsentState.NONE.name()).as(STATE), col(STATE_AT_AS_OF));

    Dataset<Row> optedOutForever = poisonedOrgs.select(col(ORG),
        lit(null).cast(DataTypes.StringType).as(PROJECT),
        lit(null).cast(DataTypes.TimestampType).as(VALID_FROM),
        lit(null).cast(DataTypes.TimestampType).as(VALID_TO),
        lit(ConsentState.OPT_OUT.name()).as(STATE),
        lit(ConsentState.OPT_OUT.name()).as(STATE_AT_AS_OF));

    String[] columns = {ORG, PROJECT, VALID_FROM, VALID_TO, STATE, STATE_AT_AS_OF};
    return eventIntervals.selectExpr(columns)
        .unionByName(leadingNone.selectExpr(columns))
        .unionByName(optedOutForever.selectExpr(columns));
  }
}
