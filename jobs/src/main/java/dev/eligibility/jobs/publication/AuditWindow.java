package dev.eligibility.jobs.publication;

import java.time.Duration;
import org.apache.spark.sql.RuntimeConfig;

/**
 * How long the payload of a replaced {@code eligible/} version stays: the audit window, 30 days
 * unless {@code spark.eligibility.auditWindowDays} says otherwise (set in {@code conf/}). The
 * output tables carry it as Delta's {@code delta.deletedFileRetentionDuration}, so even a plain
 * Delta {@code VACUUM} keeps every file the window covers; {@code eligibility vacuum} purges what
 * it does not, after recording each run's evidence.
 *
 * @param days whole days, 0 or more (0 purges everything no current version needs)
 */
public record AuditWindow(long days) {

  public static final String KEY = "spark.eligibility.auditWindowDays";
  public static final long DEFAULT_DAYS = 30;

  public AuditWindow {
    if (days < 0) {
      throw new IllegalArgumentException("an audit window of " + days + " days");
    }
  }

  /** The window a session is configured with. */
  public static AuditWindow of(RuntimeConfig conf) {
    String text = conf.get(KEY, Long.toString(DEFAULT_DAYS)).strip();
    try {
      return new AuditWindow(Long.parseLong(text));
    } catch (IllegalArgumentException e) {
      throw dev.eligibility.jobs.errors.Errors.badOption(KEY, text, "a whole number of days, 0 or more");
    }
  }

  public Duration duration() {
    return Duration.ofDays(days);
  }

  /** The value of Delta's retention properties. */
  public String deltaInterval() {
    return "interval " + days + " days";
  }
}
