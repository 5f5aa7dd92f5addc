package dev.eligibility.jobs.publication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.testing.TestSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Delta tables explain themselves from their first version: description, retention and
 * user metadata come with the commit that creates a table, and a table an older build wrote gets
 * what it lacks in one commit of its own.
 */
class OutputTablesTest {

  @TempDir
  Path folder;

  final SparkSession spark = TestSpark.session();

  Dataset<Row> exclusionRows(String runId) {
    return spark.sql("SELECT '" + runId + "' AS run_id, 'r-1' AS record_id, 'API' AS source_kind,"
        + " 'req-1' AS source_ref, 'ZDR' AS reason");
  }

  OutputTables tablesOf(Path root, String runId) {
    return new OutputTables(spark, new OutputLayout(root.toString()), runId, "test-build");
  }

  Row detail(String path) {
    return spark.sql("DESCRIBE DETAIL " + OutputTables.pathIdentifier(path)).select("description", "properties").head();
  }

  List<Row> history(String path) {
    return spark.sql("DESCRIBE HISTORY " + OutputTables.pathIdentifier(path)).orderBy("version")
        .select("version", "operation", "userMetadata").collectAsList();
  }

  @Test
  void aNewTableIsCreatedWithItsDescriptionAndPropertiesInTheCommitThatHoldsItsFirstRows() throws Exception {
    Path root = folder.resolve("out");
    String exclusions = new OutputLayout(root.toString()).exclusions();
    // What a first attempt that died while writing leaves: files, and no table.
    Files.createDirectories(Path.of(exclusions));
    Files.writeString(Path.of(exclusions, "part-00000-left-by-a-crash.snappy.parquet"), "not parquet");

    long version = tablesOf(root, "night-1").writeExclusions(exclusionRows("night-1"), "night-1");

    assertThat(version).isZero();
    Row detail = detail(exclusions);
    assertThat(detail.getString(0)).isEqualTo(OutputColumns.EXCLUSIONS_DESCRIPTION);
    Map<String, String> properties = detail.getJavaMap(1);
    assertThat(properties).containsKey(OutputTables.DELETED_FILE_RETENTION_PROPERTY);
    List<Row> history = history(exclusions);
    assertThat(history).hasSize(1);
    assertThat(history.get(0).getString(2)).contains("\"eligibility_run_id\":\"night-1\"")
        .contains("\"code_version\":\"test-build\"");
    assertThat(spark.read().format("delta").load(exclusions).select("run_id").as(Encoders.STRING()).collectAsList())
        .containsExactly("night-1");

    long next = tablesOf(root, "night-2").writeExclusions(exclusionRows("night-2"), "night-2");
    assertThat(next).as("a table that has everything takes no metadata commit").isEqualTo(1);
    assertThat(spark.read().format("delta").load(exclusions).count()).isEqualTo(2);
  }

  @Test
  void aTableAnOlderBuildWroteGetsItsDescriptionAndPropertiesInOneCommitNamingTheRun() {
    Path root = folder.resolve("out");
    String exclusions = new OutputLayout(root.toString()).exclusions();
    exclusionRows("night-1").write().format("delta").save(exclusions);
    assertThat(detail(exclusions).isNullAt(0)).as("no description yet").isTrue();

    long version = tablesOf(root, "night-2").writeExclusions(exclusionRows("night-2"), "night-2");

    assertThat(version).isEqualTo(2);
    assertThat(detail(exclusions).getString(0)).isEqualTo(OutputColumns.EXCLUSIONS_DESCRIPTION);
    Map<String, String> properties = detail(exclusions).getJavaMap(1);
    assertThat(properties).containsKey(OutputTables.DELETED_FILE_RETENTION_PROPERTY);
    List<Row> history = history(exclusions);
    assertThat(history.get(1).getString(1)).isEqualTo("SET TBLPROPERTIES");
    assertThat(history.subList(1, 3)).allSatisfy(commit ->
        assertThat(commit.getString(2)).contains("\"eligibility_run_id\":\"night-2\""));
    assertThat(spark.conf().contains(OutputTables.SESSION_USER_METADATA))
        .as("the session's user metadata is for one commit only").isFalse();
  }
}
