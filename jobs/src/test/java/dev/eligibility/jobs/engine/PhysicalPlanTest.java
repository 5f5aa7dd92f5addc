package dev.eligibility.jobs.engine;

import static dev.eligibility.jobs.testing.Judge.AS_OF;
import static dev.eligibility.jobs.testing.Judge.CUTOFF;
import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.junit.jupiter.api.Test;

/**
 * The engine's physical plan over the corpus: no nested-loop or cartesian join (the range
 * conditions ride on equality keys), reference tables broadcast, and the request join the only
 * shuffle join.
 */
class PhysicalPlanTest {

  @Test
  void noNestedLoopOrCartesianJoinAndSmallTablesAreBroadcast() {
    World world = World.empty()
        .with(Candidate.of("a", "API", "q1"), Candidate.of("f", "FINE_TUNE_FILE", "f1"),
            Candidate.of("l", "LICENSED", "l1"), Candidate.of("w", "PUBLIC_WEB", null))
        .with(Request.of("q1", "o1", CUTOFF).project("p"))
        .with(Consent.of("o1", "OPT_IN", CUTOFF, CUTOFF), Consent.of("o1", "OPT_OUT", CUTOFF, CUTOFF).project("p"))
        .with(new TrainingFile("f1", "o1", CUTOFF, null))
        .with(new Model("m1", "o1", CUTOFF, null))
        .with(new Zdr("o1", null, null, null))
        .with(new License("l1", true, CUTOFF, null));
    Dataset<Row> decided = new EligibilityEngine(Judge.baseModel(AS_OF)).decide(world.inputs(TestSpark.session()));
    decided.collectAsList(); // run it, so the adaptive plan is final

    List<String> operators = new ArrayList<>();
    collect(decided.queryExecution().executedPlan(), operators);

    assertThat(operators).noneMatch(op -> op.contains("NestedLoopJoin"));
    assertThat(operators).noneMatch(op -> op.contains("Cartesian"));
    // models, ZDR agreements, two consent scopes, training files, licences
    assertThat(operators.stream().filter(op -> op.equals("BroadcastHashJoinExec")).count()).isGreaterThanOrEqualTo(6);
  }

  @Test
  void thePlanBeforeAdaptiveExecutionHasNoNestedLoopJoinEither() {
    World world = World.empty().with(Candidate.of("a", "API", "q1")).with(Request.of("q1", "o1", CUTOFF));
    Dataset<Row> decided = new EligibilityEngine(Judge.baseModel(AS_OF)).decide(world.inputs(TestSpark.session()));
    String plan = decided.queryExecution().sparkPlan().toString();
    assertThat(plan).doesNotContain("NestedLoopJoin").doesNotContain("CartesianProduct");
    assertThat(plan).contains("BroadcastHashJoin");
  }

  private static void collect(SparkPlan plan, List<String> operators) {
    if (plan instanceof AdaptiveSparkPlanExec adaptive) {
      collect(adaptive.executedPlan(), operators);
      return;
    }
    if (plan instanceof org.apache.spark.sql.execution.adaptive.QueryStageExec stage) {
      collect(stage.plan(), operators);
      return;
    }
    operators.add(plan.getClass().getSimpleName());
    scala.collection.Iterator<SparkPlan> children = plan.children().iterator();
    while (children.hasNext()) {
      collect(children.next(), operators);
    }
    scala.collection.Iterator<SparkPlan> subqueries = plan.subqueries().iterator();
    while (subqueries.hasNext()) {
      collect(subqueries.next(), operators);
    }
  }
}
