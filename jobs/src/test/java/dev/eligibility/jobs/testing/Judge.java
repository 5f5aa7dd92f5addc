package dev.eligibility.jobs.testing;

import static org.apache.spark.sql.functions.col;

import dev.eligibility.jobs.decision.CorpusUnion;
import dev.eligibility.jobs.decision.EligibilityEngine;
import dev.eligibility.jobs.decision.InputTables;
import dev.eligibility.jobs.policy.Facts;
import dev.eligibility.jobs.policy.PolicyFile;
import dev.eligibility.jobs.policy.PolicyParameters;
import dev.eligibility.jobs.policy.RunContext;
import dev.eligibility.jobs.spec.Purpose;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Runs the Spark engine over a {@link World} and returns each row's outcome, keyed by record id. */
public final class Judge {

  public static final Instant CUTOFF = Instant.parse("2023-03-01T00:00:00Z");
  public static final Instant AS_OF = Instant.parse("2026-11-01T00:00:00Z");
  public static final PolicyParameters POLICY = PolicyFile.bundled();

  private Judge() {}

  public static RunContext baseModel(Instant asOf) {
    return new RunContext(Purpose.BASE_MODEL, Optional.empty(), asOf, POLICY);
  }

  public static RunContext fineTune(String org, Instant asOf) {
    return new RunContext(Purpose.FINE_TUNE, Optional.of(org), asOf, POLICY);
  }

  /** An outcome: the primary reason ({@code ELIGIBLE} when none) and every applying reason. */
  public record Outcome(String reason, List<String> reasons) {}

  /** The decided rows as a DataFrame: row_no, record_id, input, reason ("ELIGIBLE" if none), reasons. */
  public static Dataset<Row> decisions(World world, RunContext run) {
    InputTables inputs = world.inputs(TestSpark.session());
    // As a run does: the counted keys materialized once (here checkpointed, so nothing needs
    // releasing), every branch of the decision reading them; far fewer stages on small worlds.
    Dataset<Row> counted = EligibilityEngine.countIds(CorpusUnion.keys(inputs.corpus(), List.of("row_no")))
        .localCheckpoint();
    Dataset<Row> decided = new EligibilityEngine(run).decideCounted(counted, inputs);
    return decided.select(
        col("row_no"),
        col("record_id"),
        col(Facts.INPUT).as("corpus_input"),
        org.apache.spark.sql.functions.coalesce(col(Facts.REASON), org.apache.spark.sql.functions.lit("ELIGIBLE")).as("reason"),
        col(Facts.REASONS).as("reasons"));
  }

  /** Outcomes keyed by record id; record ids must be unique (use {@link #decisions} otherwise). */
  public static Map<String, Outcome> decide(World world, RunContext run) {
    Map<String, Outcome> outcomes = new HashMap<>();
    for (Row row : decisions(world, run).collectAsList()) {
      Outcome previous = outcomes.put(row.getString(1), new Outcome(row.getString(3), row.getList(4)));
      if (previous != null) {
        throw new IllegalStateException("record id " + row.getString(1) + " occurs twice; use decisions()");
      }
    }
    return outcomes;
  }

  /** The primary reason of the one row with {@code recordId}. */
  public static String reasonOf(World world, RunContext run, String recordId) {
    Outcome outcome = decide(world, run).get(recordId);
    if (outcome == null) {
      throw new IllegalStateException("no row " + recordId);
    }
    return outcome.reason();
  }
}
