package dev.eligibility.jobs.policy;

import java.util.Objects;
import org.apache.spark.sql.Column;

/**
 * One rule of the policy: the reason it gives and the condition, over a row's
 * {@linkplain Facts facts}, under which it excludes the row.
 *
 * <p>A rule is data, not a lambda: its condition is a Spark {@link Column} expression that can
 * be printed (by {@code explain}), evaluated on a cluster without a UDF, and compared.
 * Conditions are written to be null-free for every row; should one still evaluate to null, the
 * engine reads that as "applies" (fail closed).
 *
 * @param reason the reason code, whose position fixes the rule's place in the order
 * @param applies true for rows the rule excludes
 */
public record EligibilityRule(Reason reason, Column applies) {

  public EligibilityRule {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(applies, "applies");
  }
}
