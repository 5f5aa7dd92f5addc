package dev.eligibility.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.testing.EveryCommandDriver;
import dev.eligibility.jobs.testing.SampleWorkspace;
import dev.eligibility.jobs.testing.TestSpark;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A canary payload in every corpus row (its {@code content} and a column the contract does not
 * know) must never leave {@code eligible/}'s data files: every command of both command lines runs
 * with {@code --verbose}, Spark's event log on and OpenLineage events written to a file, as its
 * own process with the shipped logging configuration; then every byte the process printed and
 * every file written anywhere else (Delta logs with their statistics, exclusions, registry,
 * manifests, event log, lineage events, a proof) is searched for the canary. Parquet files are
 * searched in their decoded rows, since compression could hide a string in their bytes. The
 * output root must also be readable by its owner only.
 */
class NoPayloadInAnyOutputIT {

  static final String CANARY = "CANARY-d41d8cd98f00b204";

  @TempDir
  Path folder;

  @Test
  void noCommandPrintsOrWritesThePayloadAnywhereButEligibleData() throws Exception {
    SampleWorkspace workspace = SampleWorkspace.create(folder.resolve("samples"));
    for (String corpus : List.of("corpus/web.jsonl", "corpus/api.jsonl", "corpus/fine_tune.jsonl")) {
      Path file = workspace.file(corpus);
      StringBuilder canaried = new StringBuilder();
      int row = 0;
      for (String line : Files.readAllLines(file)) {
        String tag = CANARY + "-" + corpus.replaceAll("\\W", "") + "-" + row++;
        Matcher content = Pattern.compile("\"content\": \"[^\"]*\"").matcher(line);
        line = content.find() ? content.replaceFirst("\"content\": \"" + tag + "\"")
            : line.replaceFirst("\\{", "{\"content\": \"" + tag + "\", ");
        canaried.append(line.replaceFirst("\\}\\s*$", ", \"note\": \"" + tag + "-note\"}")).append('\n');
      }
      Files.writeString(file, canaried);
    }
    Path root = folder.resolve("out");
    Path spec = workspace.spec("base-model", root, s -> s);
    Path events = folder.resolve("events");
    Files.createDirectories(events);
    Path openLineageConf = folder.resolve("openlineage.yml");
    Files.writeString(openLineageConf, "transport:\n  type: file\n  location: " + folder.resolve("openlineage.jsonl") + "\n");
    Path proof = folder.resolve("proof.json");
    Path reviews = folder.resolve("reviews");
    String manifest = root.resolve("manifests/sample-base-model.json").toString();

    List<String> commands = List.of(
        "eligibility run --verbose --unsigned --openlineage-conf " + openLineageConf + " --spec " + spec,
        "eligibility run --verbose --dry-run --spec " + spec,
        "eligibility explain --verbose --spec " + spec + " --record web-001",
        "eligibility explain --verbose --spec " + spec + " --record api-003",
        "lineage resolve --verbose --root " + root,
        "lineage show --manifest " + manifest,
        "lineage verify --verbose --allow-unsigned --manifest " + manifest,
        "lineage runs --verbose --root " + root + " --org org-alpha",
        "lineage prove --verbose --manifest " + manifest + " --record web-001 > " + proof,
        "lineage check-proof --proof " + proof + " --manifest " + manifest,
        "lineage report --verbose --manifest " + manifest + " --root " + root + " --out " + reviews,
        "lineage history --verbose --root " + root + " --format json > " + reviews.resolve("history.json"),
        "lineage diff --verbose --manifest " + manifest + " --manifest " + manifest + " --ids",
        "lineage receipt --verbose --manifest " + manifest + " --org org-alpha --record api-001 --unsigned --out "
            + reviews.resolve("receipt.json"),
        "eligibility recover --verbose --root " + root,
        "eligibility unlock --verbose --root " + root + " --run-id nobody");
    String console = runInOneProcess(commands, events);

    assertThat(console).contains("exit 0").contains("$ eligibility unlock");
    assertThat(console).as("every command printed; --verbose showed Spark's INFO lines")
        .contains("INFO").contains("Eligible rows by organization");
    assertThat(console).as("the console").doesNotContain(CANARY);

    // The canary is really there to be found: in the eligible rows, and in no other file.
    Dataset<Row> eligible = TestSpark.session().read().format("delta").load(root.resolve("eligible").toString());
    assertThat(eligible.filter(eligible.col("content").contains(CANARY)).count()).isPositive();
    assertThat(eligible.filter(eligible.col("note").contains(CANARY)).count()).isPositive();
    List<Path> searched = new ArrayList<>();
    for (Path top : List.of(root, events, folder.resolve("openlineage.jsonl"), proof, reviews)) {
      try (Stream<Path> files = Files.walk(top)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          if (isEligibleData(root, file)) {
            continue;
          }
          searched.add(file);
          assertThat(readable(file)).as("bytes of " + file).doesNotContain(CANARY);
        }
      }
    }
    // eligible/ holds payload: every file and folder the run wrote is its owner's alone (umask 077).
    try (Stream<Path> written = Files.walk(root)) {
      for (Path path : written.toList()) {
        assertThat(java.nio.file.Files.getPosixFilePermissions(path)).as("permissions of " + path)
            .noneMatch(p -> p.name().startsWith("GROUP_") || p.name().startsWith("OTHERS_"));
      }
    }
    assertThat(searched).anyMatch(f -> f.startsWith(events)).anyMatch(f -> f.toString().endsWith("openlineage.jsonl"))
        .anyMatch(f -> f.toString().contains("eligible/_delta_log/"))
        .anyMatch(f -> f.toString().contains("exclusions/part-"))
        .anyMatch(f -> f.toString().endsWith("sample-base-model.html")).anyMatch(f -> f.toString().endsWith("receipt.json"));
  }

  private static boolean isEligibleData(Path root, Path file) {
    Path relative = root.relativize(file.toAbsolutePath());
    String name = file.getFileName().toString();
    return relative.startsWith("eligible") && !relative.startsWith(Path.of("eligible", "_delta_log"))
        && (name.startsWith("part-") || name.startsWith(".part-"));
  }

  /** A file's bytes as text, and a Parquet file's decoded rows as JSON too. */
  private static String readable(Path file) throws Exception {
    String text = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
    if (file.getFileName().toString().endsWith(".parquet")) {
      text += String.join("\n", TestSpark.session().read().parquet(file.toString()).toJSON().collectAsList());
    }
    return text;
  }

  /** The commands in one JVM started as {@code jobs/bin/eligibility} starts the job, with Spark's event log on. */
  private String runInOneProcess(List<String> commands, Path eventLog) throws Exception {
    Path target = Path.of("target").toAbsolutePath();
    String classpath = String.join(File.pathSeparator, target.resolve("classes").toString(),
        target.resolve("test-classes").toString(), Files.readString(target.resolve("launcher-classpath.txt")).trim(),
        Files.readString(target.resolve("launcher-runtime-classpath.txt")).trim());
    Path conf = Path.of("..", "conf").toAbsolutePath().normalize();
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + conf.resolve("spark-java17.jvmopts"), "-Xmx1g", "-Duser.timezone=UTC",
        "-Dlog4j2.configurationFile=" + conf.resolve("log4j2.properties"),
        "-Deligibility.lineage.conf=" + conf.resolve("lineage.yaml"),
        "-Dspark.master=local[2]", "-Dspark.ui.enabled=false", "-Dspark.driver.host=127.0.0.1",
        "-Dspark.sql.shuffle.partitions=2", "-Dspark.eventLog.enabled=true", "-Dspark.eventLog.dir=" + eventLog.toUri(),
        "-cp", classpath, EveryCommandDriver.class.getName()));
    command.addAll(commands);
    Path log = folder.resolve("console.log");
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    if (!process.waitFor(10, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError("the commands did not finish in 10 minutes:\n" + Files.readString(log));
    }
    String console = Files.readString(log, StandardCharsets.ISO_8859_1);
    // Two commands exit 1 on purpose: runs (the run is unsigned) and unlock (no such claim).
    assertThat(process.exitValue()).as(console).isEqualTo(2);
    return console;
  }
}
