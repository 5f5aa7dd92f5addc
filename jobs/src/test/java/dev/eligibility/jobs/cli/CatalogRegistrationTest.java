package dev.eligibility.jobs.cli;

import static dev.eligibility.jobs.testing.SampleWorkspace.cli;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.publication.OutputColumns;
import dev.eligibility.jobs.publication.OutputTables;
import dev.eligibility.jobs.testing.SampleWorkspace;
import dev.eligibility.jobs.testing.SampleWorkspace.Invocation;
import dev.eligibility.jobs.testing.TestSpark;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.RunManifest;
import dev.eligibility.lineage.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code output.catalog}: the output tables registered as external Delta tables in the session's
 * catalog (here Spark's in-memory catalog; {@code HiveMetastoreIT} does the same against a Hive
 * metastore on Derby), and every name that cannot be registered refused before anything is read.
 */
class CatalogRegistrationTest {

  @TempDir
  Path folder;

  final SparkSession spark = TestSpark.session();

  /** A database of its own for each test (the session's catalog outlives the test). */
  String database(String name) {
    String database = name + "_" + Long.toHexString(System.nanoTime());
    spark.sql("CREATE DATABASE " + database + " LOCATION '" + folder.resolve(database) + "'");
    return database;
  }

  Invocation run(SampleWorkspace workspace, Path root, String runId, String catalog, String... options) {
    Path spec = workspace.spec("base-model", root, text -> text
        .replace("run_id: sample-base-model", "run_id: " + runId)
        .replace("output: {root: " + root + "}", "output: {root: " + root + ", catalog: " + catalog + "}"));
    return cli(java.util.stream.Stream.concat(java.util.stream.Stream.of("run", "--unsigned", "--spec",
        spec.toString()), java.util.stream.Stream.of(options)).toArray(String[]::new));
  }

  static RunRecord record(Path root, String runId) throws Exception {
    return RunManifest.open(Files.readAllBytes(root.resolve("manifests").resolve(runId + ".json")), List.of()).record();
  }

  Map<String, String> tableDetails(String name) {
    Map<String, String> details = new HashMap<>();
    for (Row row : spark.sql("DESCRIBE TABLE EXTENDED " + name).collectAsList()) {
      details.putIfAbsent(row.getString(0), row.getString(1));
    }
    return details;
  }

  @Test
  void aRunRegistersItsTablesOverItsOutputRootWithoutAddingAVersion() throws Exception {
    SampleWorkspace workspace = SampleWorkspace.create(folder.resolve("samples"));
    Path root = folder.resolve("out");
    String db = database("governance");
    String names = "{eligible: " + db + ".training_eligible, exclusions: " + db + ".training_exclusions}";

    Invocation first = run(workspace, root, "night-1", names);

    assertThat(first.exitCode()).as(first.out() + first.err()).isZero();
    assertThat(first.out()).contains("registered eligible/ as " + db + ".training_eligible")
        .contains("registered exclusions/ as " + db + ".training_exclusions (in Spark's in-memory catalog, which"
            + " forgets it when this session ends");
    RunRecord record = record(root, "night-1");
    OutputSnapshot eligible = record.output("eligible").orElseThrow();
    Map<String, String> details = tableDetails(db + ".training_eligible");
    assertThat(details).containsEntry("Type", "EXTERNAL").containsEntry("Provider", "delta")
        .containsEntry("Location", "file:" + root.resolve("eligible"))
        .containsEntry("Comment", OutputColumns.ELIGIBLE_DESCRIPTION);
    assertThat(spark.table(db + ".training_eligible").count()).isEqualTo(eligible.rowCount());
    assertThat(spark.table(db + ".training_exclusions").filter(col("run_id").equalTo("night-1")).count())
        .isEqualTo(record.output("exclusions").orElseThrow().rowCount());
    assertThat(spark.sql("DESCRIBE TABLE " + db + ".training_exclusions").filter(col("col_name").equalTo("reason"))
        .head().getString(2)).startsWith("the primary reason");
    assertThat(latestVersion(root.resolve("eligible"))).as("registering added no version")
        .isEqualTo(eligible.deltaVersion());

    Invocation second = run(workspace, root, "night-2", names);

    assertThat(second.exitCode()).as(second.out() + second.err()).isZero();
    assertThat(spark.table(db + ".training_exclusions").select("run_id").distinct().count())
        .as("the registered table is the same table, now with both runs' exclusions").isEqualTo(2);
    assertThat(latestVersion(root.resolve("eligible"))).isEqualTo(record(root, "night-2").output("eligible")
        .orElseThrow().deltaVersion());
  }

  long latestVersion(Path table) {
    return spark.sql("DESCRIBE HISTORY " + OutputTables.pathIdentifier(table.toString())).selectExpr("max(version)")
        .head().getLong(0);
  }

  @Test
  void aNameTheCatalogHasElsewhereStopsTheRunBeforeItReadsAnything() {
    SampleWorkspace workspace = SampleWorkspace.create(folder.resolve("samples"));
    String db = database("governance");
    Path elsewhere = folder.resolve("another-team").resolve("eligible");
    spark.range(1).write().format("delta").save(elsewhere.toString());
    spark.sql("CREATE TABLE " + db + ".training_eligible USING DELTA LOCATION '" + elsewhere + "'");
    Path root = folder.resolve("out");

    Invocation run = run(workspace, root, "night-1", "{eligible: " + db + ".training_eligible}");

    assertThat(run.exitCode()).as(run.out() + run.err()).isEqualTo(2);
    assertThat(run.err()).contains("key 'output.catalog.eligible' names table " + db + ".training_eligible")
        .contains("already has at file:" + elsewhere)
        .contains("this run writes file:" + root.resolve("eligible"));
    assertThat(SampleWorkspace.listing(root)).as("nothing written").isEmpty();

    Invocation dryRun = run(workspace, root, "night-1", "{eligible: " + db + ".training_eligible}", "--dry-run");
    assertThat(dryRun.exitCode()).as("a dry run refuses what the run would").isEqualTo(2);
    assertThat(dryRun.err()).contains("already has at file:" + elsewhere);
  }

  @Test
  void aNameThatIsNotADeltaTableStopsTheRun() {
    SampleWorkspace workspace = SampleWorkspace.create(folder.resolve("samples"));
    String db = database("governance");
    spark.sql("CREATE TABLE " + db + ".training_eligible (id INT) USING parquet LOCATION '"
        + folder.resolve("parquet-table") + "'");

    Invocation run = run(workspace, folder.resolve("out"), "night-1", "{eligible: " + db + ".training_eligible}");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("already has as a parquet table");
  }

  @Test
  void aMissingDatabaseStopsTheRunNamingIt() {
    SampleWorkspace workspace = SampleWorkspace.create(folder.resolve("samples"));
    Path root = folder.resolve("out");

    Invocation run = run(workspace, root, "night-1", "{exclusions: no_such_database.training_exclusions}");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("key 'output.catalog.exclusions'")
        .contains("the catalog has no database no_such_database. Create it (CREATE DATABASE no_such_database)");
    assertThat(SampleWorkspace.listing(root)).isEmpty();
  }

  @Test
  void namesMustBeQualifiedDistinctAndUnderKnownKeys() {
    SampleWorkspace workspace = SampleWorkspace.create(folder.resolve("samples"));
    Path root = folder.resolve("out");

    Invocation unqualified = run(workspace, root, "night-1", "{eligible: training_eligible}");
    assertThat(unqualified.exitCode()).isEqualTo(2);
    assertThat(unqualified.err()).contains("key 'output.catalog.eligible' has value 'training_eligible'; expected a"
        + " qualified table name, database.table or catalog.database.table");

    Invocation same = run(workspace, root, "night-1", "{eligible: gov.t, exclusions: GOV.T}");
    assertThat(same.exitCode()).isEqualTo(2);
    assertThat(same.err()).contains("name the same table");

    Invocation unknown = run(workspace, root, "night-1", "{decisions: gov.decisions}");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("key 'output.catalog.decisions' is not known");

    Invocation quoted = run(workspace, root, "night-1", "{eligible: \"gov.t`; DROP TABLE x\"}");
    assertThat(quoted.exitCode()).as("a name is never spliced into SQL unchecked").isEqualTo(2);
  }
}
