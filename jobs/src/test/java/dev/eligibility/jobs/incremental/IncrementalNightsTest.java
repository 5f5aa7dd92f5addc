package dev.eligibility.jobs.incremental;

import static dev.eligibility.jobs.testing.Judge.CUTOFF;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.jobs.run.EligibilityRun;
import dev.eligibility.jobs.run.Progress;
import dev.eligibility.jobs.run.RunResult;
import dev.eligibility.jobs.spec.CatalogTables;
import dev.eligibility.jobs.spec.DeltaPin;
import dev.eligibility.jobs.spec.Purpose;
import dev.eligibility.jobs.spec.RunSpec;
import dev.eligibility.jobs.spec.TableFormat;
import dev.eligibility.jobs.spec.TableInput;
import dev.eligibility.jobs.testing.DeltaWorld;
import dev.eligibility.jobs.testing.TestSpark;
import dev.eligibility.jobs.testing.World;
import dev.eligibility.jobs.testing.World.Candidate;
import dev.eligibility.jobs.testing.World.Consent;
import dev.eligibility.jobs.testing.World.License;
import dev.eligibility.jobs.testing.World.Model;
import dev.eligibility.jobs.testing.World.Request;
import dev.eligibility.jobs.testing.World.TrainingFile;
import dev.eligibility.jobs.testing.World.Zdr;
import dev.eligibility.jobs.testing.WorldGenerator;
import dev.eligibility.lineage.DecisionMode;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.RunRecord;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Randomized sequences of nights over Delta inputs with a change data feed: each night changes the
 * inputs as upstream systems do (corpus rows inserted, updated and deleted; requests added and
 * changed; opt-ins, opt-outs, revocations and malformed consent events; training files deleted;
 * licences expiring; ZDR agreements and fine-tuned models added) and moves {@code as_of} on across
 * the cutoff, the retention window and the instants the world's rows sit on. Every night runs
 * twice over the same pinned versions: incrementally under one output root, with {@code --full}
 * under another; the committed outputs must be equal (run record figures, {@code eligible/},
 * the night's {@code exclusions/} rows and the kept decisions, compared with spark-testing-base).
 */
class IncrementalNightsTest {

  static final Instant LAST_NIGHT = Instant.parse("2026-11-01T00:00:00Z");
  static final Duration MICRO = WorldGenerator.MICRO;
  static final Duration RETENTION = Duration.ofDays(30);

  /** Nights that step across the cutoff, the retention window and the generator's anchors, a microsecond apart where it matters. */
  static final List<Instant> NIGHTS = List.of(
      CUTOFF.minus(Duration.ofDays(2)),
      CUTOFF.minus(MICRO),
      CUTOFF,
      CUTOFF.plus(Duration.ofDays(200)),
      LAST_NIGHT.minus(RETENTION).minus(Duration.ofDays(2)),
      LAST_NIGHT.minus(RETENTION),
      LAST_NIGHT.minus(Duration.ofDays(3)),
      LAST_NIGHT.minus(MICRO),
      LAST_NIGHT,
      LAST_NIGHT.plus(Duration.ofDays(20)));

  @TempDir
  Path folder;

  /** Runs the incremental night beside the full one. */
  static final ExecutorService runs = Executors.newSingleThreadExecutor(runnable -> {
    Thread thread = new Thread(runnable, "incremental-night");
    thread.setDaemon(true);
    return thread;
  });

  SparkSession spark;
  DeltaWorld tables;
  WorldGenerator generator;
  Random random;
  int nextRowNo = 1_000_000;

  @ParameterizedTest(name = "seed {0}, {1}")
  @CsvSource({"1, BASE_MODEL", "2, FINE_TUNE"})
  void everyIncrementalNightCommitsWhatAFullRunCommits(long seed, Purpose purpose) {
    spark = TestSpark.session();
    generator = new WorldGenerator(new Random(seed), LAST_NIGHT);
    random = generator.random();
    World world = generator.world();
    tables = DeltaWorld.write(spark, folder.resolve("inputs"), world);
    List<String> corpusInputs = world.corpus().stream().map(Candidate::input).distinct().sorted().toList();
    OutputLayout incremental = new OutputLayout(folder.resolve("incremental").toString());
    OutputLayout full = new OutputLayout(folder.resolve("full").toString());

    int incrementalNights = 0;
    List<Integer> nights = nightsOf(purpose);
    for (int at = 0; at < nights.size(); at++) {
      int night = nights.get(at);
      Instant asOf = NIGHTS.get(night);
      if (night > 0) {
        changeInputs(corpusInputs, asOf, night);
      }
      RunSpec spec = spec(purpose, "night-" + night, asOf, corpusInputs, incremental);
      // The two runs share nothing but the inputs they read: they run side by side (planning is
      // single-threaded, so one run alone leaves a core idle), each on its own session.
      CompletableFuture<RunRecord> incrementalRun = CompletableFuture.supplyAsync(() -> run(spec, false), runs);
      RunRecord slow = run(withRoot(spec, full), true);
      RunRecord fast = incrementalRun.join();

      String what = "night " + night + " at " + asOf;
      assertThat(slow.decisionMode().mode()).as(what).isEqualTo(DecisionMode.FULL);
      assertThat(slow.decisionMode().reason()).as(what).isEqualTo("--full was given");
      if (night == 0) {
        assertThat(fast.decisionMode().reason()).isEqualTo("no run has committed under the output root yet");
      } else if (night == GAP_NIGHT) {
        // A version without a change feed since the last run: this night is a full one, and says why.
        assertThat(fast.decisionMode().mode()).as(what).isEqualTo(DecisionMode.FULL);
        assertThat(fast.decisionMode().reason()).as(what).startsWith("the change data feed of consent_events"
            + " 'consent_events' from version ").contains("cannot be read");
      } else {
        assertThat(fast.decisionMode().mode()).as(what).isEqualTo(DecisionMode.INCREMENTAL);
        assertThat(fast.decisionMode().baseRunId()).as(what).isEqualTo("night-" + nights.get(at - 1));
        if (fast.decisionMode().redecidedRows() < fast.counts().candidates()) {
          incrementalNights++;
        }
      }
      assertThat(fast.decisionMode().stateVersion()).as(what + ": a version of decisions/").isGreaterThanOrEqualTo(at);
      assertSameOutputs(what, slow, fast);
    }
    // Most nights decide only part of the corpus again, or the test would prove little.
    assertThat(incrementalNights).as("nights that decided less than the whole corpus").isGreaterThanOrEqualTo(nights.size() / 2);
  }

  /**
   * The nights a sequence runs (indexes into {@link #NIGHTS}), chosen to keep the suite's time
   * down: for {@code BASE_MODEL} every boundary (the cutoff and a microsecond before it, the
   * retention window, the last night and a microsecond before it, twenty days on), without the
   * plain jump of 200 days; for {@code FINE_TUNE} none of the API cutoff's (a fine-tune run never
   * keeps an API row) nor the microseconds. Both keep the night without changes and the gap night.
   */
  static List<Integer> nightsOf(Purpose purpose) {
    return purpose == Purpose.BASE_MODEL ? List.of(0, 1, 2, 4, 5, 6, 7, 8, 9) : List.of(0, 4, 6, 8, 9);
  }

  private RunRecord run(RunSpec spec, boolean full) {
    SparkSession session = spark.cloneSession();
    SparkSession.setActiveSession(session);
    RunResult result = new EligibilityRun(session, Clock.systemUTC(), Progress.SILENT)
        .run(spec, false, Optional.empty(), full);
    return result.record();
  }

  private void assertSameOutputs(String what, RunRecord expected, RunRecord actual) {
    assertThat(actual.inputs()).as(what).isEqualTo(expected.inputs());
    assertThat(actual.counts()).as(what).isEqualTo(expected.counts());
    assertThat(actual.upstreamWarnings()).as(what).isEqualTo(expected.upstreamWarnings());
    assertThat(actual.negativeClaims()).as(what).isEqualTo(expected.negativeClaims());
    assertThat(actual.eligibleRowsByOrganization()).as(what).isEqualTo(expected.eligibleRowsByOrganization());
    for (String table : List.of(OutputLayout.ELIGIBLE, OutputLayout.EXCLUSIONS)) {
      OutputSnapshot want = expected.output(table).orElseThrow();
      OutputSnapshot got = actual.output(table).orElseThrow();
      assertThat(List.of(got.rowCount(), got.datasetDigest(), String.valueOf(got.merkleRoot())))
          .as(what + ", " + table).isEqualTo(List.of(want.rowCount(), want.datasetDigest(), String.valueOf(want.merkleRoot())));
    }
    TestSpark.assertSameRows(eligible(expected), eligible(actual));
    TestSpark.assertSameRows(exclusions(expected), exclusions(actual));
    TestSpark.assertSameRows(decisions(expected), decisions(actual));
  }

  private Dataset<Row> eligible(RunRecord record) {
    OutputSnapshot eligible = record.output(OutputLayout.ELIGIBLE).orElseThrow();
    return at(eligible.path(), eligible.deltaVersion());
  }

  private Dataset<Row> exclusions(RunRecord record) {
    OutputSnapshot exclusions = record.output(OutputLayout.EXCLUSIONS).orElseThrow();
    return at(exclusions.path(), exclusions.deltaVersion()).filter(col("run_id").equalTo(record.run().runId()));
  }

  /** The kept decisions, without the facts a request or file named twice takes from either of its rows. */
  private Dataset<Row> decisions(RunRecord record) {
    return at(record.decisionMode().statePath(), record.decisionMode().stateVersion())
        .select("__elig_input", "record_id", "source_kind", "source_ref", "__elig_reason", "__elig_reasons");
  }

  private Dataset<Row> at(String path, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(path);
  }

  // ---- the nights' changes -------------------------------------------------------------------

  /** The night whose consent events gained a version without a change feed. */
  static final int GAP_NIGHT = 6;

  private void changeInputs(List<String> corpusInputs, Instant asOf, int night) {
    if (night == 4) {
      return; // a night where nothing changes but as_of
    }
    if (night == GAP_NIGHT) {
      String consent = tables.ref("consent_events");
      tables.sql("ALTER TABLE " + consent + " SET TBLPROPERTIES ('delta.enableChangeDataFeed' = 'false')");
      tables.append("consent_events", List.of(new Consent("gap", "o1", null, "OPT_OUT", near(asOf), near(asOf)).toRow()));
      tables.sql("ALTER TABLE " + consent + " SET TBLPROPERTIES ('delta.enableChangeDataFeed' = 'true')");
    }
    for (String input : corpusInputs) {
      changeCorpus(input);
    }
    List<Row> requests = new ArrayList<>();
    for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
      requests.add(new Request("q" + random.nextInt(260), generator.pick(WorldGenerator.ORGS_PRESENT),
          generator.maybe(generator.pick(List.of("p1", "p2")), 0.5), "API", "/v1/chat/completions",
          generator.maybe(generator.pick(List.of("gpt", "m1", "m3")), 0.2), near(asOf), random.nextDouble() < 0.1)
          .toRow());
    }
    tables.change("api_requests", requests, "false", "t.request_id = 'q" + random.nextInt(220) + "'",
        Map.of("zdr", "NOT t.zdr"));

    List<Row> events = new ArrayList<>();
    for (int i = 0, n = random.nextInt(4); i < n; i++) {
      String decision = random.nextDouble() < 0.15 ? generator.pick(Arrays.asList(null, "MAYBE"))
          : generator.pick(List.of("OPT_IN", "OPT_OUT", "OPT_OUT"));
      events.add(new Consent("night" + night + "-" + i, generator.pick(WorldGenerator.ORGS_PRESENT),
          generator.maybe(generator.pick(List.of("p1", "p2")), 0.6), decision, near(asOf), near(asOf)).toRow());
    }
    tables.append("consent_events", events);

    String deletedAt = sqlTime(near(asOf));
    String deletedFile = "t.file_id = 'f" + random.nextInt(30) + "'";
    List<Row> files = random.nextBoolean() ? List.of(new TrainingFile("f" + (30 + random.nextInt(5)),
        generator.pick(WorldGenerator.ORGS_PRESENT), near(asOf), null).toRow()) : List.of();
    tables.change("fine_tune_files", files, "false", deletedFile, Map.of("deleted_at", deletedAt));
    String validTo = sqlTime(near(asOf));
    String expiredLicense = "t.license_id = 'l" + random.nextInt(15) + "'";
    if (random.nextInt(3) == 0) {
      tables.append("zdr_agreements", List.of(new Zdr(generator.pick(WorldGenerator.ORGS_PRESENT),
          generator.maybe("/v1/chat/completions", 0.5), near(asOf), null).toRow()));
    }
    if (random.nextInt(3) == 0) {
      tables.append("fine_tuned_models", List.of(new Model(generator.pick(List.of("m1", "m3", "gpt")), "o1",
          near(asOf), null).toRow()));
    }
    List<Row> licenses = random.nextInt(4) == 0
        ? List.of(new License("l" + random.nextInt(18), true, near(asOf), null).toRow()) : List.of();
    tables.change("licenses", licenses, "false", expiredLicense, Map.of("valid_to", validTo));
  }

  /**
   * Deletes, updates and inserts a few rows of one corpus input, in two versions: deletes and
   * {@code source_ref} updates, then a {@code record_id} update and inserts (so a row can change in
   * both versions between two nights).
   */
  private void changeCorpus(String input) {
    List<Integer> rowNos = tables.read(input).select("row_no").as(org.apache.spark.sql.Encoders.INT()).collectAsList();
    String deleted = pickRows(rowNos, 1 + random.nextInt(3));
    String newRef = "'q" + random.nextInt(240) + "'";
    String updated = pickRows(rowNos, 1 + random.nextInt(2));
    tables.change(input, List.of(), "t.row_no IN (" + deleted + ")", "t.row_no IN (" + updated + ")",
        Map.of("source_ref", newRef));
    String newId = "'r" + random.nextInt(200) + "'";
    int renamed = generator.pick(rowNos);
    List<Row> inserted = new ArrayList<>();
    for (int i = 0, n = 1 + random.nextInt(5); i < n; i++) {
      String kind = generator.pick(List.of("API", "API", "FINE_TUNE_FILE", "LICENSED", "PUBLIC_WEB"));
      String ref = switch (kind) {
        case "API" -> "q" + random.nextInt(260);
        case "FINE_TUNE_FILE" -> "f" + random.nextInt(35);
        case "LICENSED" -> "l" + random.nextInt(18);
        default -> null;
      };
      String recordId = random.nextDouble() < 0.05 ? "" : "r" + random.nextInt(60_000);
      inserted.add(new Candidate(input, recordId, kind, ref, nextRowNo++).toRow());
    }
    tables.change(input, inserted, "false", "t.row_no = " + renamed, Map.of("record_id", newId));
  }

  private String pickRows(List<Integer> rowNos, int n) {
    List<String> picked = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      picked.add(String.valueOf(generator.pick(rowNos)));
    }
    return String.join(", ", picked);
  }

  /** An instant within a few days either side of {@code asOf}, or exactly on it. */
  private Instant near(Instant asOf) {
    return switch (random.nextInt(4)) {
      case 0 -> asOf;
      case 1 -> asOf.minus(MICRO);
      case 2 -> asOf.plus(Duration.ofHours(1 + random.nextInt(24 * 10)));
      default -> asOf.minus(Duration.ofHours(1 + random.nextInt(24 * 10)));
    };
  }

  private static String sqlTime(Instant instant) {
    return "TIMESTAMP '" + Timestamp.from(instant) + "'";
  }

  // ---- specs -----------------------------------------------------------------------------------

  /** A night's spec; drift is accepted, since the nights step across the cutoff and the retention window on purpose. */
  private RunSpec spec(Purpose purpose, String runId, Instant asOf, List<String> corpusInputs, OutputLayout output) {
    return new RunSpec("nights", runId, purpose,
        purpose == Purpose.FINE_TUNE ? Optional.of("o1") : Optional.empty(), Optional.of(asOf),
        corpusInputs.stream().map(name -> pinned(name, name)).toList(),
        pinned("api_requests", "api_requests"), pinned("consent_events", "consent_events"),
        pinned("fine_tune_files", "fine_tune_files"), pinned("fine_tuned_models", "fine_tuned_models"),
        Optional.of(pinned("zdr_agreements", "zdr_agreements")), Optional.of(pinned("licenses", "licenses")),
        output.root(), CatalogTables.none(), Optional.empty(), true);
  }

  private TableInput pinned(String name, String table) {
    return new TableInput(name, tables.path(table), TableFormat.DELTA,
        Optional.of(new DeltaPin.Version(tables.version(table))));
  }

  private static RunSpec withRoot(RunSpec spec, OutputLayout root) {
    return new RunSpec(spec.source(), spec.runId(), spec.purpose(), spec.fineTuneOrgId(), spec.asOf(), spec.corpus(),
        spec.apiRequests(), spec.consentEvents(), spec.fineTuneFiles(), spec.fineTunedModels(), spec.zdrAgreements(),
        spec.licenses(), root.root(), spec.catalogTables(), spec.policyFile(), spec.acceptDrift());
  }
}
