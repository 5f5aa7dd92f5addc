package dev.eligibility.jobs.bench;

import static dev.eligibility.jobs.bench.CompareBenchmark.child;
import static dev.eligibility.jobs.bench.CompareBenchmark.deleteRecursively;

import dev.eligibility.jobs.testing.SampleWorkspace;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The nightly benchmark: the cost of an incremental night against a full run of the same night.
 *
 * <p>On a generated corpus (Delta, change data feed on), a first night commits a full run at
 * {@code as_of}; then one night's upstream changes land (1% of the corpus rows edited, 1% of the
 * organizations opting out); the second night, a day later, runs from copies of the root as it
 * was after the first night, alternately incremental and with {@code --full}, each as a process
 * of its own. The ratio of the medians is the figure the incremental design is judged by.
 */
@Command(name = "benchmark --nightly", mixinStandardHelpOptions = true,
    description = "Time an incremental night against a full run of the same night.")
public final class NightlyBenchmark implements Callable<Integer> {

  @Option(names = "--rows", split = ",", paramLabel = "N", defaultValue = "10000000",
      description = "Corpus sizes to measure, comma-separated (default: ${DEFAULT-VALUE}).")
  List<Long> sizes;

  @Option(names = "--repetitions", paramLabel = "K", defaultValue = "3",
      description = "Runs of each mode per size (default: ${DEFAULT-VALUE}).")
  int repetitions;

  @Option(names = "--work-dir", paramLabel = "DIR", defaultValue = "target/benchmark",
      description = "Data, outputs and logs (default: ${DEFAULT-VALUE}).")
  Path workDir;

  static final List<String> MODES = List.of("incremental", "full");

  record Timing(long rows, String mode, int repetition, double seconds, String decision) {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new NightlyBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    List<Timing> timings = new ArrayList<>();
    StringBuilder report = new StringBuilder();
    for (long rows : sizes) {
      Path home = workDir.resolve("nightly-" + rows).toAbsolutePath();
      BenchmarkData data = new BenchmarkData(home.resolve("data"));
      Path afterFirstNight = home.resolve("root-after-first-night");
      if (!Files.exists(home.resolve("prepared"))) {
        deleteRecursively(home);
        prepare(data, rows, home, afterFirstNight);
      }
      for (int i = 1; i <= repetitions; i++) {
        for (int k = 0; k < MODES.size(); k++) {
          String mode = MODES.get((k + i - 1) % MODES.size());
          Timing timing = secondNight(data, rows, home, afterFirstNight, mode, i);
          System.out.printf(Locale.ROOT, "  %,12d rows  %-12s #%d  %7.1f s  %s%n", rows, mode, i, timing.seconds(),
              timing.decision());
          timings.add(timing);
        }
      }
      double incremental = median(timings, rows, "incremental");
      double full = median(timings, rows, "full");
      report.append(String.format(Locale.ROOT, "%n%,12d rows: incremental night %.1f s, full run of the same night"
          + " %.1f s (medians of %d); incremental / full = %.3f%n  %s%n", rows, incremental, full, repetitions,
          incremental / full, timings.stream().filter(t -> t.rows() == rows && t.mode().equals("incremental"))
              .map(Timing::decision).findFirst().orElse("")));
    }
    System.out.print(report);
    Files.createDirectories(workDir);
    Files.writeString(workDir.resolve("nightly.txt"), report, StandardCharsets.UTF_8);
    return 0;
  }

  /** Generates the data, commits the first night, lands the night's changes and keeps the root. */
  private void prepare(BenchmarkData data, long rows, Path home, Path afterFirstNight)
      throws IOException, InterruptedException {
    System.out.println("Generating " + rows + " corpus rows under " + data.root() + " ...");
    String variants = BenchmarkVariant.class.getName();
    child(List.of(variants, "generate", data.root().toString(), Long.toString(rows)), home.resolve("generate.log"));
    child(List.of(variants, "enable-change-feed", data.root().toString()), home.resolve("change-feed.log"));
    System.out.println("First night (a full run) ...");
    run(data, "night-1", BenchmarkData.AS_OF, afterFirstNight, home.resolve("night-1.log"), false);
    child(List.of(variants, "change-night", data.root().toString()), home.resolve("change-night.log"));
    Files.writeString(home.resolve("prepared"), "", StandardCharsets.UTF_8);
  }

  private Timing secondNight(BenchmarkData data, long rows, Path home, Path afterFirstNight, String mode,
      int repetition) throws IOException, InterruptedException {
    Path root = home.resolve("root-" + mode);
    deleteRecursively(root);
    SampleWorkspace.copyTree(afterFirstNight, root);
    Path log = home.resolve("night-2-" + mode + "-" + repetition + ".log");
    long start = System.nanoTime();
    run(data, "night-2", BenchmarkData.AS_OF.plus(Duration.ofDays(1)), root, log, mode.equals("full"));
    double seconds = (System.nanoTime() - start) / 1e9;
    String decision = Files.readAllLines(log, StandardCharsets.UTF_8).stream().map(String::strip)
        .filter(line -> line.startsWith("Decision:")).findFirst().orElse("(no decision line)");
    return new Timing(rows, mode, repetition, seconds, decision);
  }

  private static void run(BenchmarkData data, String runId, Instant asOf, Path root, Path log, boolean full)
      throws IOException, InterruptedException {
    Files.createDirectories(root.getParent());
    Path spec = root.getParent().resolve("spec-" + root.getFileName() + ".yaml");
    Files.writeString(spec, data.spec(runId, asOf, root), StandardCharsets.UTF_8);
    List<String> command = new ArrayList<>(List.of("dev.eligibility.jobs.cli.EligibilityCli", "run", "--unsigned",
        "--spec", spec.toString()));
    if (full) {
      command.add("--full");
    }
    child(command, log);
  }

  private static double median(List<Timing> timings, long rows, String mode) {
    return CompareBenchmark.median(timings.stream()
        .filter(t -> t.rows() == rows && t.mode().equals(mode)).map(Timing::seconds).toList());
  }
}
