package dev.eligibility.jobs.run;

import dev.eligibility.jobs.decision.Decision;

import static dev.eligibility.jobs.testing.Judge.AS_OF;
import static dev.eligibility.jobs.testing.Judge.CUTOFF;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.decision.EligibilityEngine;
import dev.eligibility.jobs.decision.InputTables;
import dev.eligibility.jobs.input.BoundTable;
import dev.eligibility.jobs.testing.Judge;
import dev.eligibility.jobs.testing.TestSpark;
import dev.eligibility.jobs.testing.World;
import dev.eligibility.jobs.testing.World.Candidate;
import dev.eligibility.jobs.testing.World.Consent;
import dev.eligibility.jobs.testing.World.License;
import dev.eligibility.jobs.testing.World.Model;
import dev.eligibility.jobs.testing.World.Request;
import dev.eligibility.jobs.testing.World.TrainingFile;
import dev.eligibility.jobs.testing.World.Zdr;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.FileSourceScanExec;
import org.apache.spark.sql.execution.SortExec;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.adaptive.QueryStageExec;
import org.apache.spark.sql.execution.exchange.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The physical plans of a run's two passes over a corpus read from Parquet, as adaptive
 * execution finalizes them: the decision never reads the payload column, so no exchange, sort or
 * scan of it carries {@code content}; the eligible pass moves the payload through at most one
 * exchange and never sorts it; neither has a nested-loop or cartesian join.
 */
class TwoPassPlanTest {

  @TempDir
  Path dir;

  @Test
  void theDecisionNeverReadsMovesOrSortsThePayload() {
    InputTables inputs = inputsWithCorpusOnDisk();
    Dataset<Row> decided = new EligibilityEngine(Judge.baseModel(AS_OF)).decide(inputs);
    decided.collectAsList(); // run it, so the adaptive plan is final

    List<SparkPlan> operators = operators(decided.queryExecution().executedPlan());
    assertNoNestedLoopOrCartesianJoin(operators);
    assertThat(operators).filteredOn(op -> op instanceof Exchange || op instanceof SortExec)
        .isNotEmpty()
        .allSatisfy(op -> assertThat(outputNames(op)).doesNotContain("content"));
    List<SparkPlan> scans = operators.stream().filter(FileSourceScanExec.class::isInstance).toList();
    assertThat(scans).isNotEmpty().allSatisfy(scan ->
        assertThat(((FileSourceScanExec) scan).requiredSchema().fieldNames()).doesNotContain("content"));
  }

  @Test
  void theEligiblePassShufflesThePayloadAtMostOnceAndNeverSortsIt() {
    SparkSession spark = TestSpark.session();
    InputTables inputs = inputsWithCorpusOnDisk();
    String threshold = spark.conf().get("spark.sql.autoBroadcastJoinThreshold");
    // No broadcast at all: the plan a corpus whose eligible ids are too many to broadcast gets.
    spark.conf().set("spark.sql.autoBroadcastJoinThreshold", "-1");
    try (Decision decision = Decision.of(inputs, Judge.baseModel(AS_OF), "plan")) {
      Dataset<Row> marked = EligibleRowsPass.marked(inputs.corpus(), decision.eligibleIds());
      marked.collectAsList();
      List<SparkPlan> operators = operators(marked.queryExecution().executedPlan());

      assertNoNestedLoopOrCartesianJoin(operators);
      assertThat(operators).filteredOn(op -> op instanceof Exchange && outputNames(op).contains("content")).hasSize(1);
      assertThat(operators).filteredOn(op -> op instanceof SortExec && outputNames(op).contains("content")).isEmpty();
    } finally {
      spark.conf().set("spark.sql.autoBroadcastJoinThreshold", threshold);
    }
  }

  @Test
  void smallEligibleIdsAreBroadcastSoThePayloadIsNotShuffledAtAll() {
    InputTables inputs = inputsWithCorpusOnDisk();
    try (Decision decision = Decision.of(inputs, Judge.baseModel(AS_OF), "plan")) {
      Dataset<Row> marked = EligibleRowsPass.marked(inputs.corpus(), decision.eligibleIds());
      marked.collectAsList();
      List<SparkPlan> operators = operators(marked.queryExecution().executedPlan());

      assertThat(operators).filteredOn(op -> op instanceof Exchange && outputNames(op).contains("content")).isEmpty();
      assertThat(operators).filteredOn(op -> op.getClass().getSimpleName().equals("BroadcastHashJoinExec")).isNotEmpty();
    }
  }

  /** A world where every kind of join has work, its corpus written to Parquet and read back. */
  private InputTables inputsWithCorpusOnDisk() {
    SparkSession spark = TestSpark.session();
    World world = World.empty()
        .with(Candidate.of("a", "API", "q1"), Candidate.of("f", "FINE_TUNE_FILE", "f1"),
            Candidate.of("l", "LICENSED", "l1"), Candidate.of("w", "PUBLIC_WEB", null),
            Candidate.of("w2", "PUBLIC_WEB", "https://example.org/2"), Candidate.of("", "PUBLIC_WEB", null),
            Candidate.of("d", "PUBLIC_WEB", "x"), Candidate.of("d", "API", "q1"))
        .with(Request.of("q1", "o1", CUTOFF).project("p"))
        .with(Consent.of("o1", "OPT_IN", CUTOFF, CUTOFF), Consent.of("o1", "OPT_OUT", CUTOFF, CUTOFF).project("p"))
        .with(new TrainingFile("f1", "o1", CUTOFF, null))
        .with(new Model("m1", "o1", CUTOFF, null))
        .with(new Zdr("o1", null, null, null))
        .with(new License("l1", true, CUTOFF, null));
    InputTables inputs = world.inputs(spark);
    List<BoundTable> onDisk = new ArrayList<>();
    for (BoundTable table : inputs.corpus()) {
      String path = dir.resolve(table.input().name()).toString();
      table.rows().write().parquet(path);
      onDisk.add(new BoundTable(table.input(), table.contract(), spark.read().parquet(path), table.deltaVersion(),
          table.files(), table.rowCount(), table.datasetDigest()));
    }
    return inputs.withCorpus(onDisk);
  }

  private static void assertNoNestedLoopOrCartesianJoin(List<SparkPlan> operators) {
    assertThat(operators).extracting(op -> op.getClass().getSimpleName())
        .noneMatch(name -> name.contains("NestedLoopJoin") || name.contains("Cartesian"));
  }

  private static List<String> outputNames(SparkPlan plan) {
    List<String> names = new ArrayList<>();
    plan.output().foreach(attribute -> names.add(attribute.name()));
    return names;
  }

  /** Every operator of an executed plan, through adaptive wrappers, query stages and subqueries. */
  private static List<SparkPlan> operators(SparkPlan root) {
    List<SparkPlan> operators = new ArrayList<>();
    collect(root, operators);
    return operators;
  }

  private static void collect(SparkPlan plan, List<SparkPlan> operators) {
    if (plan instanceof AdaptiveSparkPlanExec adaptive) {
      collect(adaptive.executedPlan(), operators);
      return;
    }
    if (plan instanceof QueryStageExec stage) {
      collect(stage.plan(), operators);
      return;
    }
    operators.add(plan);
    plan.children().foreach(child -> {
      collect(child, operators);
      return null;
    });
    plan.subqueries().foreach(subquery -> {
      collect(subquery, operators);
      return null;
    });
  }
}
