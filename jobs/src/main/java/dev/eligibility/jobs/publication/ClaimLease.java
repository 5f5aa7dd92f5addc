package dev.eligibility.jobs.publication;

import dev.eligibility.jobs.errors.Errors;
import java.time.Duration;
import org.apache.spark.sql.RuntimeConfig;

/**
 * How long a claim holds without renewal, and how often the live driver renews it. Spark
 * settings {@code spark.eligibility.claim.leaseSeconds} (default 120) and
 * {@code spark.eligibility.claim.renewSeconds} (default 30).
 */
public record ClaimLease(Duration length, Duration renewEvery) {

  public static final String LENGTH_SETTING = "spark.eligibility.claim.leaseSeconds";
  public static final String RENEW_SETTING = "spark.eligibility.claim.renewSeconds";
  public static final ClaimLease DEFAULT = new ClaimLease(Duration.ofSeconds(120), Duration.ofSeconds(30));

  public ClaimLease {
    if (renewEvery.isZero() || renewEvery.isNegative() || length.compareTo(renewEvery.multipliedBy(2)) < 0) {
      throw Errors.badOption(LENGTH_SETTING + "/" + RENEW_SETTING, length.toSeconds() + "/" + renewEvery.toSeconds(),
          "a positive renewal interval and a lease at least twice as long");
    }
  }

  /** The session's settings ({@code --conf} of spark-submit, or set at runtime), else the defaults. */
  public static ClaimLease of(RuntimeConfig conf) {
    return new ClaimLease(seconds(conf, LENGTH_SETTING, DEFAULT.length()), seconds(conf, RENEW_SETTING, DEFAULT.renewEvery()));
  }

  private static Duration seconds(RuntimeConfig conf, String key, Duration fallback) {
    String value = conf.get(key, String.valueOf(fallback.toSeconds())).trim();
    try {
      return Duration.ofSeconds(Long.parseLong(value));
    } catch (NumberFormatException e) {
      throw Errors.badOption(key, value, "a whole number of seconds");
    }
  }
}
