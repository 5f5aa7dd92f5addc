package dev.eligibility.jobs.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.testing.TestSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the overhead benchmark runnable: on a small generated corpus both variants run, decide
 * the same rows and are timed. (The figures themselves come from {@code jobs/bin/benchmark} on two
 * million rows; nothing here asserts a speed.)
 */
class LineageOverheadBenchmarkTest {

  @TempDir
  Path folder;

  @Test
  void bothVariantsDecideTheSameRowsOnAGeneratedCorpus() throws Exception {
    SparkSession spark = TestSpark.session();
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    LineageOverheadBenchmark.Result result =
        LineageOverheadBenchmark.measure(spark, folder, 2_000, 1, false, new PrintStream(log, true, StandardCharsets.UTF_8));

    assertThat(spark.read().format("delta").load(folder.resolve("data-2000/corpus").toString()).count()).isEqualTo(2_000);
    assertThat(spark.read().format("delta").load(folder.resolve("data-2000/api_requests").toString()).count()).isEqualTo(1_200);
    assertThat(result.timings()).extracting(LineageOverheadBenchmark.Timing::variant).containsExactly("baseline", "evidence");
    long eligible = result.timings().get(0).eligible();
    assertThat(eligible).isPositive().isLessThan(2_000);
    assertThat(result.timings().get(1).eligible()).isEqualTo(eligible);
    assertThat(result.ratio()).isPositive();
    assertThat(log.toString(StandardCharsets.UTF_8)).contains("Generating 2000 corpus rows");
  }
}
