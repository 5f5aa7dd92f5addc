package dev.eligibility.jobs.policy;

import static dev.eligibility.jobs.policy.Term.field;
import static dev.eligibility.jobs.policy.Term.value;

/**
 * The null-safe building blocks every condition over a row's facts is written with, so that a
 * missing fact never turns a test into null (and never into its opposite).
 */
public final class FactConditions {

  private FactConditions() {}

  /** True when {@code source_kind} is {@code kind}; false for any other kind and for null. */
  public static Term kindIs(SourceKind kind) {
    return field("source_kind").eqNullSafe(value(kind.name()));
  }

  /** True when the boolean field {@code fact} is true; false when it is false or null. */
  public static Term isTrue(String fact) {
    return field(fact).eqNullSafe(value(true));
  }

  /** Negation that reads null as false first, so a missing fact never turns into "not". */
  public static Term not(Term condition) {
    return Term.coalesce(condition, value(false)).negated();
  }
}
