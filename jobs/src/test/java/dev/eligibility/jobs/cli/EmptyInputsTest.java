package dev.eligibility.jobs.cli;

import static dev.eligibility.jobs.testing.SampleWorkspace.cli;
import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.testing.SampleWorkspace;
import dev.eligibility.jobs.testing.SampleWorkspace.Invocation;
import dev.eligibility.jobs.testing.TestSpark;
import dev.eligibility.lineage.InputSnapshot;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.RunManifest;
import dev.eligibility.lineage.RunRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An input with no rows (an empty JSON Lines file, a header-only CSV) is a valid empty table:
 * the run decides as if those facts did not exist, and fails closed where rules need them.
 */
class EmptyInputsTest {

  @TempDir
  Path folder;

  @Test
  void emptyRequestsAndAHeaderOnlyLicenceFileDecideAsIfNoneExisted() throws Exception {
    SampleWorkspace workspace = SampleWorkspace.create(folder.resolve("samples"));
    Files.write(workspace.file("reference/api_requests.jsonl"), new byte[0]);
    Files.writeString(workspace.file("reference/licenses.csv"), "license_id,permits_training,valid_from,valid_to\n");
    Path root = folder.resolve("out");

    Invocation run = cli("run", "--unsigned", "--spec", workspace.spec("base-model", root, s -> s).toString());
    assertThat(run.exitCode()).as(run.err()).isZero();

    RunRecord record = RunManifest.open(Files.readAllBytes(root.resolve("manifests/sample-base-model.json")), List.of())
        .record();
    assertThat(record.inputs()).filteredOn(i -> List.of("api_requests", "licenses").contains(i.table()))
        .extracting(InputSnapshot::rowCount).containsExactly(0L, 0L);
    OutputSnapshot eligible = record.output("eligible").orElseThrow();
    List<Row> kinds = TestSpark.session().read().format("delta").option("versionAsOf", eligible.deltaVersion())
        .load(eligible.path()).select("source_kind").distinct().collectAsList();
    assertThat(kinds).extracting(r -> r.getString(0)).isNotEmpty().doesNotContain("API", "LICENSED");

    // With no request known, an API row can only stop at the rules before the request-based ones.
    OutputSnapshot exclusions = record.output("exclusions").orElseThrow();
    List<Row> apiReasons = TestSpark.session().read().format("delta").option("versionAsOf", exclusions.deltaVersion())
        .load(exclusions.path()).filter(col("source_kind").equalTo("API")).select("reason").distinct().collectAsList();
    assertThat(apiReasons).extracting(r -> r.getString(0)).contains("NO_PROVENANCE")
        .isSubsetOf("INVALID_RECORD", "DUPLICATE_RECORD_ID", "OUT_OF_POLICY_SCOPE", "NOT_RUN_ORG_DATA",
            "FINE_TUNE_DATA_ISOLATED", "NO_PROVENANCE");
    List<Row> licensed = TestSpark.session().read().format("delta").option("versionAsOf", exclusions.deltaVersion())
        .load(exclusions.path()).filter(col("source_kind").equalTo("LICENSED")).select("reason").distinct().collectAsList();
    assertThat(licensed).extracting(r -> r.getString(0)).containsOnly("LICENSE_NOT_VALID");
  }

  @Test
  void anEmptyCorpusFileIsAnEmptyCorpusInput() throws Exception {
    SampleWorkspace workspace = SampleWorkspace.create(folder.resolve("samples"));
    Files.write(workspace.file("corpus/fine_tune.jsonl"), new byte[0]);
    Path root = folder.resolve("out");
    Invocation run = cli("run", "--unsigned", "--spec", workspace.spec("base-model", root, s -> s).toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    RunRecord record = RunManifest.open(Files.readAllBytes(root.resolve("manifests/sample-base-model.json")), List.of())
        .record();
    assertThat(record.inputs()).filteredOn(i -> "fine_tune".equals(i.name())).singleElement()
        .extracting(InputSnapshot::rowCount).isEqualTo(0L);
  }
}
