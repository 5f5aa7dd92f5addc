package dev.eligibility.jobs.spec;

import dev.eligibility.jobs.errors.Errors;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The night a scheduled run is for, so that every run of one night, first try or re-run,
 * decides the same: the run id is the spec's {@code run_id} plus the scheduled date
 * ({@code nightly} becomes {@code nightly-2026-11-25}) and {@code as_of} is the scheduled time.
 *
 * <p>Given as an instant ({@code 2026-11-25T02:00:00Z}, what Airflow templates in), or as
 * {@code daily@HH:MM}: the latest HH:MM UTC at or before now, for schedulers that cannot pass
 * their fire time (Kubernetes' ScheduledSparkApplication, cron).
 *
 * @param scheduledFor the scheduled instant, which becomes {@code as_of}
 */
public record ScheduledNight(Instant scheduledFor) {

  public static final String OPTION = "--scheduled-for";
  private static final Pattern DAILY = Pattern.compile("daily@(\\d{2}):(\\d{2})Z?");

  /** Reads {@code text}; refuses a time in the future or that is not a valid instant. */
  public static ScheduledNight parse(String text, Clock clock) {
    Instant now = clock.instant();
    Instant scheduled = daily(text, now).orElseGet(() -> instant(text));
    if (scheduled.isAfter(now)) {
      throw Errors.badOption(OPTION, text, "a time that has come (now is " + now + ")");
    }
    return new ScheduledNight(scheduled.truncatedTo(ChronoUnit.MICROS));
  }

  /** {@code spec} as the run of this night; a spec that fixes {@code as_of} itself is refused. */
  public RunSpec applyTo(RunSpec spec) {
    if (spec.asOf().isPresent()) {
      throw Errors.specConflict(spec.source(), "key 'as_of' cannot be combined with " + OPTION
          + ", which sets as_of to the scheduled time; remove as_of from a spec for scheduled runs.");
    }
    String runId = spec.runId() + "-" + DateTimeFormatter.ISO_LOCAL_DATE.format(scheduledFor.atOffset(ZoneOffset.UTC));
    if (!RunSpecParser.RUN_ID.matcher(runId).matches()) {
      throw Errors.badValue(spec.source(), "run_id", runId, "at most 117 characters before the date " + OPTION + " adds");
    }
    return spec.scheduled(runId, scheduledFor);
  }

  private static Optional<Instant> daily(String text, Instant now) {
    Matcher daily = DAILY.matcher(text);
    if (!daily.matches()) {
      return Optional.empty();
    }
    LocalTime time;
    try {
      time = LocalTime.of(Integer.parseInt(daily.group(1)), Integer.parseInt(daily.group(2)));
    } catch (java.time.DateTimeException e) {
      throw Errors.badOption(OPTION, text, "daily@HH:MM with a valid time of day (UTC)");
    }
    ZonedDateTime today = now.atZone(ZoneOffset.UTC).with(time);
    return Optional.of((today.toInstant().isAfter(now) ? today.minusDays(1) : today).toInstant());
  }

  private static Instant instant(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw Errors.badOption(OPTION, text,
          "an instant with its zone (2026-11-25T02:00:00Z) or daily@HH:MM (UTC)");
    }
  }
}
