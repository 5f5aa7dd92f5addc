package dev.eligibility.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.eligibility.jobs.publication.OutputColumns;
import dev.eligibility.jobs.testing.HiveCatalogProbe;
import dev.eligibility.jobs.testing.SampleWorkspace;
import dev.eligibility.lineage.RunManifest;
import dev.eligibility.lineage.RunRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code output.catalog} against a real Hive metastore: Spark's Hive catalog on an embedded Derby
 * database on disk. The first night runs as the launcher runs the job (a JVM of its own,
 * {@code -Dspark.*} settings, here with Spark's Hive support on the classpath, as a cluster's Spark
 * has it) and registers its tables in {@code default}; a second JVM runs the second night, which
 * finds them registered at its root, then finds both tables in the metastore by name and reads
 * them through it.
 */
class HiveMetastoreIT {

  static final ObjectMapper JSON = new ObjectMapper();
  static final String ELIGIBLE = "default.training_eligible";
  static final String EXCLUSIONS = "default.training_exclusions";

  @TempDir
  Path folder;

  record Ended(int exitCode, String console) {}

  Ended java(Path work, String mainClass, String... args) throws IOException, InterruptedException {
    Path conf = Path.of("..", "conf").toAbsolutePath().normalize();
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + conf.resolve("spark-java17.jvmopts"), "-Xmx1g", "-Duser.timezone=UTC",
        "-Dlog4j2.configurationFile=" + conf.resolve("log4j2.properties"),
        "-Dspark.sql.catalogImplementation=hive",
        "-Dspark.hadoop.javax.jdo.option.ConnectionURL=jdbc:derby:;databaseName="
            + work.resolve("metastore_db") + ";create=true",
        "-Dspark.sql.warehouse.dir=" + work.resolve("warehouse"),
        "-Dderby.system.home=" + work,
        "-Dspark.ui.enabled=false",
        "-cp", classpath, mainClass));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(folder, "jvm", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process process = builder.start();
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new AssertionError(mainClass + " did not end in 5 minutes:\n" + Files.readString(log));
    }
    return new Ended(process.exitValue(), Files.readString(log));
  }

  Path spec(SampleWorkspace workspace, Path root, String runId) {
    return workspace.spec("base-model", root, text -> text
        .replace("run_id: sample-base-model", "run_id: " + runId)
        .replace("output: {root: " + root + "}",
            "output: {root: " + root + ", catalog: {eligible: " + ELIGIBLE + ", exclusions: " + EXCLUSIONS + "}}"));
  }

  @Test
  void twoNightsRegisterTheirTablesInTheMetastoreWhereAnotherSessionReadsThemByName() throws Exception {
    Path work = Files.createDirectories(folder.resolve("work"));
    SampleWorkspace workspace = SampleWorkspace.create(folder.resolve("samples"));
    Path root = folder.resolve("out");

    Ended first = java(work, EligibilityCli.class.getName(), "run", "--unsigned", "--spec",
        spec(workspace, root, "night-1").toString());
    assertThat(first.exitCode()).as(first.console()).isZero();
    assertThat(first.console()).contains("registered eligible/ as " + ELIGIBLE)
        .contains("registered exclusions/ as " + EXCLUSIONS).doesNotContain("in-memory catalog");
    assertThat(work.resolve("metastore_db")).as("the metastore is a Derby database on disk").isDirectory();

    // A new JVM: night-2 finds the tables night-1 registered (at its root, so they pass the
    // check), then the tables are read through the metastore by name.
    Ended probe = java(work, HiveCatalogProbe.class.getName(), spec(workspace, root, "night-2").toString(),
        ELIGIBLE, EXCLUSIONS);
    assertThat(probe.exitCode()).as(probe.console()).isZero();
    String line = probe.console().lines().filter(l -> l.startsWith(HiveCatalogProbe.MARKER)).findFirst()
        .orElseThrow(() -> new AssertionError("no probe line in\n" + probe.console()));
    JsonNode seen = JSON.readTree(line.substring(HiveCatalogProbe.MARKER.length()));
    assertThat(seen.get("exitCode").asInt()).as("night-2\n" + probe.console()).isZero();

    RunRecord night2 = RunManifest.open(Files.readAllBytes(root.resolve("manifests").resolve("night-2.json")),
        List.of()).record();
    RunRecord night1 = RunManifest.open(Files.readAllBytes(root.resolve("manifests").resolve("night-1.json")),
        List.of()).record();
    assertThat(seen.get("catalogImplementation").asText()).isEqualTo("hive");
    JsonNode eligible = seen.get(ELIGIBLE);
    assertThat(eligible.get("Type").asText()).isEqualTo("EXTERNAL");
    assertThat(eligible.get("Provider").asText()).isEqualTo("delta");
    assertThat(eligible.get("Location").asText()).isEqualTo("file:" + root.resolve("eligible"));
    assertThat(eligible.get("Comment").asText()).isEqualTo(OutputColumns.ELIGIBLE_DESCRIPTION);
    assertThat(eligible.get("rows").asLong()).as("the latest version: night-2's eligible rows")
        .isEqualTo(night2.output("eligible").orElseThrow().rowCount());
    JsonNode exclusions = seen.get(EXCLUSIONS);
    assertThat(exclusions.get("Location").asText()).isEqualTo("file:" + root.resolve("exclusions"));
    assertThat(exclusions.get("Comment").asText()).isEqualTo(OutputColumns.EXCLUSIONS_DESCRIPTION);
    assertThat(exclusions.get("run_ids").asLong()).isEqualTo(2);
    assertThat(exclusions.get("rows").asLong()).isEqualTo(night1.output("exclusions").orElseThrow().rowCount()
        + night2.output("exclusions").orElseThrow().rowCount());
  }
}
