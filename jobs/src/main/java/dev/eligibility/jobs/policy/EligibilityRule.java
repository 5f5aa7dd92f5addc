package dev.eligibility.jobs.policy;

import java.util.Map;
import java.util.Objects;
import org.apache.spark.sql.Column;

/**
 * One rule of the policy: the reason it gives and the condition, over a row's
 * {@linkplain Facts facts}, under which it excludes the row.
 *
 * <p>A rule is data, not a lambda: its condition is a {@link Term}, so the same condition is a
 * Spark column (evaluated on a cluster without a UDF, printed by {@code explain}) and a plain
 * evaluation over one row's values. Conditions are written to be null-free for every row; should
 * one still evaluate to null, both forms read that as "applies" (fail closed).
 *
 * @param reason the reason code, whose position fixes the rule's place in the order
 * @param condition true for rows the rule excludes
 */
public record EligibilityRule(Reason reason, Term condition) {

  public EligibilityRule {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(condition, "condition");
  }

  /** The condition as a Spark column, null read as "applies". */
  public Column applies() {
    return org.apache.spark.sql.functions.coalesce(condition.column(), org.apache.spark.sql.functions.lit(true));
  }

  /** The condition over one plain row, null read as "applies". */
  public boolean appliesTo(Map<String, ?> row) {
    return !Boolean.FALSE.equals(condition.test(row));
  }
}
