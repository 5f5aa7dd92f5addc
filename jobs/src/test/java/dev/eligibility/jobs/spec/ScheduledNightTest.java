package dev.eligibility.jobs.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.eligibility.jobs.errors.EligibilityException;
import dev.eligibility.jobs.errors.ErrorKind;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A scheduled run's id and as_of come from the night it is for, whenever it actually runs. */
class ScheduledNightTest {

  static Clock at(String instant) {
    return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
  }

  static RunSpec spec(Optional<Instant> asOf) {
    TableInput table = new TableInput("t", "/data/t", TableFormat.DELTA);
    return new RunSpec("nightly.yaml", "nightly", Purpose.BASE_MODEL, Optional.empty(), asOf, List.of(table), table,
        table, table, table, Optional.empty(), Optional.empty(), "s3a://bucket/out", CatalogTables.none(),
        Optional.empty(), false);
  }

  @Test
  void anExplicitInstantNamesTheNightAndBecomesAsOf() {
    RunSpec night = ScheduledNight.parse("2026-11-25T02:00:00Z", at("2026-11-27T09:30:00Z")).applyTo(spec(Optional.empty()));
    assertThat(night.runId()).isEqualTo("nightly-2026-11-25");
    assertThat(night.asOf()).contains(Instant.parse("2026-11-25T02:00:00Z"));
    assertThat(night.outputRoot()).isEqualTo("s3a://bucket/out");
  }

  @Test
  void theNightPinsEveryDeltaInputTheSpecDoesNotPinItself() {
    TableInput delta = new TableInput("t", "/data/t", TableFormat.DELTA);
    TableInput pinned = new TableInput("p", "/data/p", TableFormat.DELTA, Optional.of(new DeltaPin.Version(4)));
    TableInput json = new TableInput("j", "/data/j.jsonl", TableFormat.JSON);
    RunSpec spec = new RunSpec("nightly.yaml", "nightly", Purpose.BASE_MODEL, Optional.empty(), Optional.empty(),
        List.of(delta, json), pinned, delta, delta, delta, Optional.of(delta), Optional.empty(), "s3a://bucket/out",
        CatalogTables.none(), Optional.empty(), false);
    RunSpec night = ScheduledNight.parse("2026-11-25T02:00:00Z", at("2026-11-27T09:30:00Z")).applyTo(spec);
    DeltaPin atNight = new DeltaPin.AsOf(Instant.parse("2026-11-25T02:00:00Z"));
    assertThat(night.corpus().get(0).pin()).contains(atNight);
    assertThat(night.corpus().get(1).pin()).as("a JSON input is read as its files are").isEmpty();
    assertThat(night.apiRequests().pin()).as("the spec's own pin stays").contains(new DeltaPin.Version(4));
    assertThat(night.consentEvents().pin()).contains(atNight);
    assertThat(night.zdrAgreements().orElseThrow().pin()).contains(atNight);
  }

  @Test
  void anOffsetIsReadAsTheInstantItDenotesAndTheDateIsUtc() {
    RunSpec night = ScheduledNight.parse("2026-11-25T01:30:00+02:00", at("2026-11-27T00:00:00Z")).applyTo(spec(Optional.empty()));
    assertThat(night.asOf()).contains(Instant.parse("2026-11-24T23:30:00Z"));
    assertThat(night.runId()).isEqualTo("nightly-2026-11-24");
  }

  @Test
  void dailyIsTheLatestFireTimeAtOrBeforeNow() {
    assertThat(ScheduledNight.parse("daily@02:00", at("2026-11-25T02:47:13Z")).scheduledFor())
        .as("a run that started late still belongs to tonight").isEqualTo(Instant.parse("2026-11-25T02:00:00Z"));
    assertThat(ScheduledNight.parse("daily@02:00Z", at("2026-11-25T02:00:00Z")).scheduledFor())
        .as("on the minute").isEqualTo(Instant.parse("2026-11-25T02:00:00Z"));
    assertThat(ScheduledNight.parse("daily@02:00", at("2026-11-25T01:59:59Z")).scheduledFor())
        .as("before the fire time: the previous night").isEqualTo(Instant.parse("2026-11-24T02:00:00Z"));
  }

  @Test
  void futureOrMalformedTimesAndSpecsWithTheirOwnAsOfAreRefused() {
    Clock now = at("2026-11-25T02:00:00Z");
    assertThatThrownBy(() -> ScheduledNight.parse("2026-11-25T02:00:01Z", now))
        .hasMessage("Option --scheduled-for has value '2026-11-25T02:00:01Z'; expected a time that has come"
            + " (now is 2026-11-25T02:00:00Z).");
    assertThatThrownBy(() -> ScheduledNight.parse("2026-11-25 02:00", now))
        .hasMessageContaining("expected an instant with its zone (2026-11-25T02:00:00Z) or daily@HH:MM (UTC)");
    assertThatThrownBy(() -> ScheduledNight.parse("2026-11-25T02:00:00", now)).hasMessageContaining("with its zone");
    assertThatThrownBy(() -> ScheduledNight.parse("daily@25:00", now)).hasMessageContaining("a valid time of day");
    assertThatThrownBy(() -> ScheduledNight.parse("2026-11-24T02:00:00Z", now).applyTo(spec(Optional.of(Instant.EPOCH))))
        .isInstanceOfSatisfying(EligibilityException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.SPEC))
        .hasMessageContaining("key 'as_of' cannot be combined with --scheduled-for");
  }
}
