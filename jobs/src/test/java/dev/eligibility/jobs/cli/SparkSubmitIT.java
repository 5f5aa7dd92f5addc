package dev.eligibility.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.testing.SampleWorkspace;
import dev.eligibility.lineage.RunRecord;
import dev.eligibility.lineage.RunManifest;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar {@code mvn package} builds runs under Spark's own {@code SparkSubmit}, in a separate
 * JVM whose classpath holds Spark and its dependencies only: Delta, picocli, the YAML reader and
 * the project's code must all come from the jar.
 */
class SparkSubmitIT {

  /** What the spark-submit jar brings itself; never taken from the classpath in this test. */
  static final List<String> BUNDLED = List.of("/io/delta/", "/info/picocli/", "eligibility-lineage", "lineage/target",
      "jackson-dataformat-yaml", "jackson-datatype-jsr310", "/org/yaml/");

  @TempDir
  Path folder;

  @Test
  void theSparkSubmitJarRunsTheBaseModelSampleOnSparkAlone() throws Exception {
    Path jar;
    try (Stream<Path> jars = Files.list(Path.of("target"))) {
      jar = jars.filter(p -> p.getFileName().toString().endsWith("-spark.jar")).findFirst().orElseThrow();
    }
    String sparkOnly = Arrays.stream(Files.readString(Path.of("target", "launcher-classpath.txt")).trim()
            .split(File.pathSeparator))
        .filter(entry -> BUNDLED.stream().noneMatch(entry::contains))
        .collect(Collectors.joining(File.pathSeparator));
    SampleWorkspace workspace = SampleWorkspace.create(folder.resolve("samples"));
    Path output = folder.resolve("out");
    Path spec = workspace.spec("base-model", output, s -> s);

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("@" + Path.of("..", "conf", "spark-java17.jvmopts").toAbsolutePath());
    command.add("-Dlog4j2.configurationFile=" + Path.of("..", "conf", "log4j2.properties").toAbsolutePath());
    command.addAll(List.of("-cp", sparkOnly, "org.apache.spark.deploy.SparkSubmit",
        "--master", "local[2]", "--conf", "spark.ui.enabled=false", "--conf", "spark.sql.shuffle.partitions=4",
        "--class", EligibilityCli.class.getName(), jar.toAbsolutePath().toString(),
        "run", "--unsigned", "--spec", spec.toString()));
    Path log = folder.resolve("spark-submit.log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process process = builder.start();
    assertThat(process.waitFor(10, TimeUnit.MINUTES)).as("spark-submit finished").isTrue();

    String console = Files.readString(log);
    assertThat(process.exitValue()).as(console).isZero();
    assertThat(console).contains("Run sample-base-model committed");
    RunManifest.Opened manifest = RunManifest.open(Files.readAllBytes(output.resolve("manifests/sample-base-model.json")), List.of());
    assertThat(manifest.signed()).isFalse();
    RunRecord record = manifest.record();
    assertThat(record.counts().eligible()).isEqualTo(7);
    assertThat(record.counts().excluded()).isEqualTo(23);
    assertThat(record.run().sparkApplicationId()).startsWith("local-");
  }
}
