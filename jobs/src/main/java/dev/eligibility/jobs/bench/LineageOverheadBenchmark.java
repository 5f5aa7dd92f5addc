package dev.eligibility.jobs.bench;

import dev.eligibility.jobs.engine.EligibilityEngine;
import dev.eligibility.jobs.engine.InputTables;
import dev.eligibility.jobs.input.BoundTable;
import dev.eligibility.jobs.input.Contracts;
import dev.eligibility.jobs.input.TableContract;
import dev.eligibility.jobs.input.TableReader;
import dev.eligibility.jobs.output.DecisionTally;
import dev.eligibility.jobs.output.OutputLayout;
import dev.eligibility.jobs.output.OutputTables;
import dev.eligibility.jobs.policy.PolicyFile;
import dev.eligibility.jobs.policy.RunContext;
import dev.eligibility.jobs.run.Decision;
import dev.eligibility.jobs.run.SparkSessions;
import dev.eligibility.jobs.spec.Purpose;
import dev.eligibility.jobs.spec.TableInput;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What the run's evidence costs: the same run over a generated corpus, with and without the
 * dataset digests (the corpus inputs' and both outputs' in one pass over the decided rows, the
 * other inputs' in their validation pass) and the Merkle root,
 * timed alternately in one JVM, reported as the ratio of the medians.
 *
 * <p>Both variants read and check every input, decide every row, tally reasons and negative
 * claims, count eligible rows per organization and write {@code eligible/} and
 * {@code exclusions/}; they differ only in the evidence. Neither writes a registry row or a
 * manifest (small fixed costs outside what is measured).
 */
@Command(name = "lineage-overhead-benchmark", mixinStandardHelpOptions = true,
    description = "Measure how much dataset digests and the Merkle root add to a run's time.")
public final class LineageOverheadBenchmark implements Callable<Integer> {

  @Option(names = "--rows", defaultValue = "2000000", description = "Corpus rows to generate (default: ${DEFAULT-VALUE}).")
  long rows;

  @Option(names = "--repetitions", defaultValue = "3", description = "Timed runs of each variant (default: ${DEFAULT-VALUE}).")
  int repetitions;

  @Option(names = "--work-dir", defaultValue = "target/benchmark", description = "Where data and outputs go (default: ${DEFAULT-VALUE}).")
  Path workDir;

  static final Instant AS_OF = Instant.parse("2026-11-01T00:00:00Z");

  /** One timed run. */
  record Timing(String variant, int repetition, Duration took, long eligible) {}

  /** The measured outcome. */
  record Result(long rows, List<Timing> timings, Duration baselineMedian, Duration evidenceMedian) {
    double ratio() {
      return (double) evidenceMedian.toNanos() / baselineMedian.toNanos();
    }

    /** Each repetition's evidence time over its baseline time, in repetition order. */
    List<Double> pairRatios() {
      List<Double> ratios = new ArrayList<>();
      for (int i = 1; timingOf("baseline", i) != null; i++) {
        ratios.add((double) timingOf("evidence", i).took().toNanos() / timingOf("baseline", i).took().toNanos());
      }
      return ratios;
    }

    private Timing timingOf(String variant, int repetition) {
      return timings.stream().filter(t -> t.variant().equals(variant) && t.repetition() == repetition)
          .findFirst().orElse(null);
    }

    void print(PrintStream out) {
      for (Timing t : timings) {
        out.printf(Locale.ROOT, "  %-9s #%d  %8.1f s  (%d eligible)%n", t.variant(), t.repetition(),
            t.took().toMillis() / 1e3, t.eligible());
      }
      List<Double> pairs = pairRatios();
      List<Double> sorted = pairs.stream().sorted().toList();
      double medianPair = sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2)
          : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
      out.printf(Locale.ROOT, "ratio of each repetition: %s; median %.3f%n",
          pairs.stream().map(r -> String.format(Locale.ROOT, "%.3f", r)).toList(), medianPair);
      out.printf(Locale.ROOT, "%d corpus rows: baseline median %.1f s, with digests and Merkle root %.1f s:"
              + " ratio %.3f (overhead %+.1f%%)%n", rows, baselineMedian.toMillis() / 1e3,
          evidenceMedian.toMillis() / 1e3, ratio(), (ratio() - 1) * 100);
    }
  }

  @Override
  public Integer call() throws IOException {
    SparkSession spark = SparkSessions.getOrCreate("lineage overhead benchmark");
    Result result = measure(spark, workDir, rows, repetitions, true, System.out);
    result.print(System.out);
    Files.createDirectories(workDir);
    try (PrintStream report = new PrintStream(Files.newOutputStream(workDir.resolve("lineage-overhead.txt")))) {
      result.print(report);
    }
    return 0;
  }

  /**
   * Generates the data (unless already there for {@code rows}) and times both variants
   * alternately, after an unmeasured warm-up run of each when {@code warmUp} is set.
   */
  static Result measure(SparkSession spark, Path workDir, long rows, int repetitions, boolean warmUp, PrintStream log)
      throws IOException {
    BenchmarkData data = new BenchmarkData(workDir.resolve("data-" + rows));
    if (!Files.exists(data.root().resolve("licenses/_delta_log"))) {
      log.println("Generating " + rows + " corpus rows under " + data.root() + " ...");
      data.generate(spark, rows);
    }
    RunContext context = new RunContext(Purpose.BASE_MODEL, Optional.empty(), AS_OF, PolicyFile.bundled());
    List<Timing> timings = new ArrayList<>();
    if (warmUp) {
      // JIT, codegen and Delta caches warm up on runs that are not measured, one of each variant,
      // so that neither variant's first measured run pays for compiling its own code.
      deleteRecursively(workDir.resolve("out-warmup-baseline"));
      deleteRecursively(workDir.resolve("out-warmup-evidence"));
      runBaseline(spark, data, context, workDir.resolve("out-warmup-baseline"));
      runWithEvidence(spark, data, context, workDir.resolve("out-warmup-evidence"));
    }
    for (int i = 1; i <= repetitions; i++) {
      // Alternate the order so drift (heat, caches) does not favour one variant.
      boolean baselineFirst = i % 2 == 1;
      for (int k = 0; k < 2; k++) {
        boolean baseline = (k == 0) == baselineFirst;
        Path out = workDir.resolve("out-" + (baseline ? "baseline" : "evidence") + "-" + i);
        deleteRecursively(out);
        long start = System.nanoTime();
        long eligible = baseline ? runBaseline(spark, data, context, out) : runWithEvidence(spark, data, context, out);
        Timing timing = new Timing(baseline ? "baseline" : "evidence", i, Duration.ofNanos(System.nanoTime() - start), eligible);
        log.printf(Locale.ROOT, "  %-9s #%d  %8.1f s%n", timing.variant(), i, timing.took().toMillis() / 1e3);
        timings.add(timing);
      }
    }
    return new Result(rows, timings, median(timings, "baseline"), median(timings, "evidence"));
  }

  /** The run without evidence: checks, decisions, tallies and both writes. */
  static long runBaseline(SparkSession spark, BenchmarkData data, RunContext context, Path out) {
    Phases phases = new Phases("baseline");
    InputTables inputs = read(TableReader.withoutDigests(spark), data);
    phases.mark("read");
    Dataset<Row> decided = new EligibilityEngine(context).decide(inputs).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      DecisionTally tally = DecisionTally.of(decided, context);
      DecisionTally.eligibleRowsByOrganization(decided);
      phases.mark("decide");
      write(spark, out, OutputTables.eligibleRows(decided, "bench", EligibilityEngine.corpusColumns(decided)),
          OutputTables.exclusionRows(decided, "bench"));
      phases.mark("write");
      return tally.counts().eligible();
    } finally {
      decided.unpersist();
    }
  }

  /** The same run with every digest and the Merkle root, as {@code EligibilityRun} computes them. */
  static long runWithEvidence(SparkSession spark, BenchmarkData data, RunContext context, Path out) {
    Phases phases = new Phases("evidence");
    InputTables inputs = read(TableReader.forRun(spark), data);
    phases.mark("read");
    try (Decision decision = Decision.of(inputs, context, "bench")) {
      DecisionTally.eligibleRowsByOrganization(decision.decided());
      phases.mark("decide");
      write(spark, out, decision.eligibleRows(), decision.exclusionRows());
      phases.mark("write");
      return decision.tally().counts().eligible();
    }
  }

  /** Phase times of one run, printed to stderr, so a report can say where the difference lies. */
  private static final class Phases {
    private final String variant;
    private final StringBuilder line = new StringBuilder();
    private long last = System.nanoTime();

    Phases(String variant) {
      this.variant = variant;
    }

    void mark(String phase) {
      long now = System.nanoTime();
      line.append(String.format(Locale.ROOT, " %s %.1f s", phase, (now - last) / 1e9));
      last = now;
      if (phase.equals("write")) {
        System.err.println("    " + variant + " phases:" + line);
      }
    }
  }

  private static InputTables read(TableReader reader, BenchmarkData data) {
    List<TableInput> references = data.references();
    return new InputTables(
        List.of(reader.read(data.corpus(), Contracts.CORPUS)),
        read(reader, references.get(0), Contracts.API_REQUESTS),
        read(reader, references.get(1), Contracts.CONSENT_EVENTS),
        read(reader, references.get(2), Contracts.FINE_TUNE_FILES),
        read(reader, references.get(3), Contracts.FINE_TUNED_MODELS),
        Optional.of(read(reader, references.get(4), Contracts.ZDR_AGREEMENTS)),
        Optional.of(read(reader, references.get(5), Contracts.LICENSES)));
  }

  private static BoundTable read(TableReader reader, TableInput input, TableContract contract) {
    return reader.read(input, contract);
  }

  private static void write(SparkSession spark, Path out, Dataset<Row> eligible, Dataset<Row> exclusions) {
    OutputTables tables = new OutputTables(spark, new OutputLayout(out.toString()));
    tables.writeEligible(eligible);
    tables.writeExclusions(exclusions, "bench");
  }

  /**
   * Removes an earlier benchmark's output, so that every run writes new tables rather than
   * adding versions to tables that grow from one benchmark to the next.
   */
  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }

  private static Duration median(List<Timing> timings, String variant) {
    List<Duration> sorted = timings.stream().filter(t -> t.variant().equals(variant)).map(Timing::took).sorted().toList();
    int size = sorted.size();
    return size % 2 == 1 ? sorted.get(size / 2) : sorted.get(size / 2 - 1).plus(sorted.get(size / 2)).dividedBy(2);
  }

  public static void main(String[] args) {
    // jobs/bin/benchmark passes a default --work-dir; a later one given by the user wins.
    System.exit(new CommandLine(new LineageOverheadBenchmark()).setOverwrittenOptionsAllowed(true).execute(args));
  }
}
