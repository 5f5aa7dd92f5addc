package dev.eligibility.jobs.testing;

import static dev.eligibility.jobs.testing.Judge.CUTOFF;

import dev.eligibility.jobs.testing.World.Candidate;
import dev.eligibility.jobs.testing.World.Consent;
import dev.eligibility.jobs.testing.World.License;
import dev.eligibility.jobs.testing.World.Model;
import dev.eligibility.jobs.testing.World.Request;
import dev.eligibility.jobs.testing.World.TrainingFile;
import dev.eligibility.jobs.testing.World.Zdr;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Draws worlds whose values collide often (shared record ids, request ids named by several rows,
 * ids with odd spacing and case) and sit on the policy's boundaries: instants a microsecond either
 * side of the cutoff, of {@code asOf} and of the retention window.
 */
public final class WorldGenerator {

  public static final List<String> ORGS_PRESENT = List.of("o1", "o2", "o3");
  public static final Duration MICRO = Duration.ofNanos(1000);

  private final Random random;
  private final Instant asOf;
  private final List<Instant> instants;

  public WorldGenerator(Random random, Instant asOf) {
    this.random = random;
    this.asOf = asOf;
    List<Instant> list = new ArrayList<>();
    for (Instant anchor : List.of(CUTOFF, asOf, CUTOFF.plus(Duration.ofDays(200)), CUTOFF.minus(Duration.ofDays(200)))) {
      list.add(anchor.minus(MICRO));
      list.add(anchor);
      list.add(anchor.plus(MICRO));
    }
    list.add(asOf.minus(Duration.ofDays(30)));
    list.add(asOf.minus(Duration.ofDays(30)).minus(MICRO));
    list.add(Instant.parse("2019-01-01T00:00:00Z"));
    list.add(Instant.parse("2030-01-01T00:00:00Z"));
    this.instants = List.copyOf(list);
  }

  /** The random source, for callers that draw more. */
  public Random random() {
    return random;
  }

  public <T> T pick(List<T> values) {
    return values.get(random.nextInt(values.size()));
  }

  public String maybe(String value, double nullChance) {
    return random.nextDouble() < nullChance ? null : value;
  }

  public Instant instant(double nullChance) {
    if (random.nextDouble() < nullChance) {
      return null;
    }
    if (random.nextBoolean()) {
      return pick(instants);
    }
    long span = asOf.getEpochSecond() - Instant.parse("2021-01-01T00:00:00Z").getEpochSecond();
    return Instant.parse("2021-01-01T00:00:00Z").plusSeconds((long) (random.nextDouble() * span * 1.1));
  }

  public World world() {
    World world = World.empty();
    int requests = 250 + random.nextInt(100);
    for (int i = 0; i < requests; i++) {
      world = world.with(new Request("q" + random.nextInt(220),
          pick(List.of("o1", "o2", "o3", "o1", "o2", "", "o4")),
          maybe(pick(List.of("p1", "p2", "")), 0.5),
          pick(List.of("API", "API", "PLAYGROUND", "api", "BATCH")),
          pick(List.of("/v1/chat/completions", "/v1/chat/completions", "/v1/audio/transcriptions",
              "/v1/audio/transcriptions/", "/v1/embeddings", "")),
          maybe(pick(List.of("gpt", "m1", "m2", "ft:x", "FT:Y", "Ft-not", "m1 ", "\u00e9t\u00e9")), 0.2),
          instant(0.03),
          random.nextDouble() < 0.03 ? null : random.nextDouble() < 0.1));
    }
    int events = 40 + random.nextInt(60);
    for (int i = 0; i < events; i++) {
      world = world.with(new Consent("e" + i, pick(ORGS_PRESENT),
          maybe(pick(List.of("p1", "p2", "")), 0.6),
          random.nextDouble() < 0.02 ? pick(java.util.Arrays.asList(null, "opt_in", "MAYBE"))
              : pick(List.of("OPT_IN", "OPT_IN", "OPT_OUT")),
          instant(0.01), instant(0.01)));
    }
    for (int i = 0; i < 40; i++) {
      world = world.with(new TrainingFile("f" + random.nextInt(30), maybe(pick(List.of("o1", "o2", "o3", "")), 0.05),
          instant(0.03), random.nextDouble() < 0.6 ? null : instant(0)));
    }
    for (int i = 0; i < 6; i++) {
      world = world.with(new Model(maybe(pick(List.of("m1", "m2", "gpt ", "M1")), 0.2), "o1", instant(0.1), instant(0.5)));
    }
    boolean withOptionalTables = random.nextInt(5) != 0;
    if (withOptionalTables) {
      for (int i = 0; i < 6; i++) {
        world = world.with(new Zdr(pick(ORGS_PRESENT),
            maybe(pick(List.of("/v1/chat/completions", "/v1/embeddings")), 0.5), instant(0.3), instant(0.5)));
      }
      for (int i = 0; i < 20; i++) {
        world = world.with(new License("l" + random.nextInt(15),
            random.nextDouble() < 0.1 ? null : random.nextDouble() < 0.8, instant(0.1), instant(0.5)));
      }
    }
    int rows = 1500 + random.nextInt(1000);
    for (int i = 0; i < rows; i++) {
      String kind = pick(List.of("API", "API", "API", "API", "PUBLIC_WEB", "LICENSED", "HUMAN_REVIEWER",
          "FINE_TUNE_FILE", "FINE_TUNE_FILE", "FINE_TUNED_INFERENCE", "CONSUMER_APP", "api", "WEB"));
      String ref = switch (kind) {
        case "API", "api" -> maybe("q" + random.nextInt(240), 0.02);
        case "FINE_TUNE_FILE" -> maybe("f" + random.nextInt(35), 0.02);
        case "LICENSED" -> maybe("l" + random.nextInt(18), 0.05);
        default -> maybe("ref-" + random.nextInt(1000), 0.5);
      };
      String recordId = random.nextDouble() < 0.02 ? pick(java.util.Arrays.asList("", null))
          : "r" + random.nextInt(rows * 20);
      world = world.with(new Candidate(pick(List.of("first", "second")), recordId,
          random.nextDouble() < 0.01 ? null : kind, ref, i));
    }
    return withOptionalTables ? world : world.withoutOptionalTables();
  }
}
