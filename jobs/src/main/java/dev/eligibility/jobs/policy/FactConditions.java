package dev.eligibility.jobs.policy;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import org.apache.spark.sql.Column;

/**
 * The null-safe building blocks every condition over a row's facts is written with, so that a
 * missing fact never turns a test into null (and never into its opposite).
 */
public final class FactConditions {

  private FactConditions() {}

  /** True when {@code source_kind} is {@code kind}; false for any other kind and for null. */
  public static Column kindIs(SourceKind kind) {
    return col("source_kind").eqNullSafe(lit(kind.name()));
  }

  /** True when the boolean column {@code fact} is true; false when it is false or null. */
  public static Column isTrue(String fact) {
    return col(fact).eqNullSafe(lit(true));
  }

  /** Non-null and non-empty: POLICY.md's "present". */
  public static Column present(Column value) {
    return value.isNotNull().and(value.notEqual(""));
  }

  /** Negation that reads null as false first, so a missing fact never turns into "not". */
  public static Column not(Column condition) {
    return org.apache.spark.sql.functions.not(coalesce(condition, lit(false)));
  }
}
