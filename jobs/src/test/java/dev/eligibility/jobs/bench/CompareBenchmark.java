package dev.eligibility.jobs.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The side-by-side benchmark: on one generated Delta corpus per size, each variant runs as a
 * process of its own with the same JVM and Spark settings, the variants alternating in a rotated
 * order each repetition; the table shows each variant's median and the ratios the targets name.
 *
 * <ol>
 *   <li>{@code run}: {@code eligibility run} itself (inputs checked and digested, two passes,
 *       digests, Merkle root, exclusions, registry, manifest);
 *   <li>{@code without-evidence}: the same decision and writes without digests or Merkle root;
 *   <li>{@code copy}: a bare Spark copy of the corpus to Delta;
 *   <li>{@code duckdb}: the decision as plain SQL in DuckDB on the same cores;
 *   <li>{@code zero-copy}: the decision, then a shallow clone of the corpus with deletion vectors
 *       for the excluded rows (measured, not adopted: docs/performance.md).
 * </ol>
 */
@Command(name = "benchmark", mixinStandardHelpOptions = true,
    description = "Time the real run against the same run without evidence, a bare Spark copy of the corpus,"
        + " DuckDB and the zero-copy probe, each as a process of its own; print medians and ratios"
        + " (docs/performance.md).")
public final class CompareBenchmark implements Callable<Integer> {

  static final List<String> VARIANTS = List.of("run", "without-evidence", "copy", "duckdb", "zero-copy");

  @Option(names = "--rows", split = ",", paramLabel = "N", defaultValue = "1000000,10000000",
      description = "Corpus sizes to measure, comma-separated (default: ${DEFAULT-VALUE}).")
  List<Long> sizes;

  @Option(names = "--repetitions", paramLabel = "K", defaultValue = "3", description = "Runs of each variant per size (default: ${DEFAULT-VALUE}).")
  int repetitions;

  @Option(names = "--work-dir", paramLabel = "DIR", defaultValue = "target/benchmark", description = "Data, outputs and logs (default: ${DEFAULT-VALUE}).")
  Path workDir;

  /** One timed process. */
  record Timing(long rows, String variant, int repetition, double seconds, long eligible) {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new CompareBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    List<Timing> timings = new ArrayList<>();
    for (long rows : sizes) {
      BenchmarkData data = new BenchmarkData(workDir.resolve("data-" + rows).toAbsolutePath());
      if (!data.exists()) {
        System.out.println("Generating " + rows + " corpus rows under " + data.root() + " ...");
        child(List.of(BenchmarkVariant.class.getName(), "generate", data.root().toString(), Long.toString(rows)),
            workDir.resolve("generate-" + rows + ".log"));
      }
      for (int i = 1; i <= repetitions; i++) {
        for (int k = 0; k < VARIANTS.size(); k++) {
          // Rotate the order each repetition, so drift (heat, page cache) favours no variant.
          String variant = VARIANTS.get((k + i - 1) % VARIANTS.size());
          Timing timing = time(data, rows, variant, i);
          System.out.printf(Locale.ROOT, "  %,12d rows  %-17s #%d  %7.1f s  (%d eligible)%n", rows, variant, i,
              timing.seconds(), timing.eligible());
          timings.add(timing);
        }
      }
    }
    String report = report(timings);
    System.out.print(report);
    Files.createDirectories(workDir);
    Files.writeString(workDir.resolve("compare.txt"), report, StandardCharsets.UTF_8);
    return 0;
  }

  private Timing time(BenchmarkData data, long rows, String variant, int repetition)
      throws IOException, InterruptedException {
    Path out = workDir.resolve("out-" + rows + "-" + variant).toAbsolutePath();
    deleteRecursively(out);
    Files.createDirectories(out);
    List<String> command = new ArrayList<>();
    if (variant.equals("run")) {
      Path spec = out.resolve("spec.yaml");
      Files.writeString(spec, data.spec(out.resolve("root")), StandardCharsets.UTF_8);
      command.addAll(List.of("dev.eligibility.jobs.cli.EligibilityCli", "run", "--unsigned", "--spec", spec.toString()));
    } else {
      command.addAll(List.of(BenchmarkVariant.class.getName(), variant, data.root().toString(), out.toString()));
    }
    Path log = workDir.resolve("log-" + rows + "-" + variant + "-" + repetition + ".txt");
    long start = System.nanoTime();
    child(command, log);
    double seconds = (System.nanoTime() - start) / 1e9;
    return new Timing(rows, variant, repetition, seconds, eligibleIn(log));
  }

  /** Runs a JVM with this one's flags and class path; its output goes to {@code log}. */
  static void child(List<String> mainAndArgs, Path log) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(arg -> !arg.startsWith("-agentlib") && !arg.startsWith("-javaagent"))
        .forEach(command::add);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.addAll(mainAndArgs);
    Files.createDirectories(log.toAbsolutePath().getParent());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    int exit = process.waitFor();
    if (exit != 0) {
      throw new IllegalStateException(mainAndArgs.get(0) + " " + mainAndArgs.get(1) + " exited with " + exit + "; see " + log);
    }
  }

  /** The eligible rows a child reported: a variant's {@code eligible=N}, or the run summary's. */
  private static long eligibleIn(Path log) throws IOException {
    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
      String trimmed = line.strip();
      if (trimmed.startsWith("eligible=")) {
        return Long.parseLong(trimmed.substring("eligible=".length()));
      }
      if (trimmed.startsWith("eligible/") && trimmed.contains(" rows")) {
        String[] words = trimmed.split("\\s+");
        return Long.parseLong(words[2].replace(",", ""));
      }
    }
    return -1;
  }

  static String report(List<Timing> timings) {
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
        "%n%12s  %-17s %9s %13s %10s %10s %10s%n", "rows", "variant", "median s", "us per row", "x copy", "x duckdb",
        "eligible"));
    Map<Long, Map<String, Double>> medians = new LinkedHashMap<>();
    for (Timing t : timings) {
      medians.computeIfAbsent(t.rows(), r -> new LinkedHashMap<>());
    }
    medians.forEach((rows, byVariant) -> VARIANTS.forEach(v -> byVariant.put(v, median(timings, rows, v))));
    medians.forEach((rows, byVariant) -> {
      for (String variant : VARIANTS) {
        double median = byVariant.get(variant);
        long eligible = timings.stream().filter(t -> t.rows() == rows && t.variant().equals(variant))
            .mapToLong(Timing::eligible).max().orElse(-1);
        out.append(String.format(Locale.ROOT, "%,12d  %-17s %9.1f %13.2f %10.2f %10.2f %10d%n", rows, variant, median,
            median / rows * 1e6, median / byVariant.get("copy"), median / byVariant.get("duckdb"), eligible));
      }
      out.append(String.format(Locale.ROOT, "%,12d  run / copy %.2f (target <= 1.30); run / without evidence %.2f"
              + " (target <= 1.15); zero-copy / duckdb %.2f (target <= 1.00, not adopted)%n", rows,
          byVariant.get("run") / byVariant.get("copy"), byVariant.get("run") / byVariant.get("without-evidence"),
          byVariant.get("zero-copy") / byVariant.get("duckdb")));
    });
    List<Long> sizes = medians.keySet().stream().sorted().toList();
    if (sizes.size() > 1) {
      long small = sizes.get(0);
      long large = sizes.get(sizes.size() - 1);
      double perRowSmall = medians.get(small).get("run") / small;
      double perRowLarge = medians.get(large).get("run") / large;
      out.append(String.format(Locale.ROOT, "run cost per row at %,d rows / at %,d rows: %.2f (target <= 1.15)%n",
          large, small, perRowLarge / perRowSmall));
    }
    return out.toString();
  }

  private static double median(List<Timing> timings, long rows, String variant) {
    return median(timings.stream().filter(t -> t.rows() == rows && t.variant().equals(variant))
        .map(Timing::seconds).toList());
  }

  /** The median of {@code values}; NaN when there are none. */
  static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.delete(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

}
