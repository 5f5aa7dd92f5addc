package dev.eligibility.jobs.run;

import dev.eligibility.jobs.engine.EligibilityEngine;
import dev.eligibility.jobs.engine.InputTables;
import dev.eligibility.jobs.output.DecisionTally;
import dev.eligibility.jobs.output.MerkleRoots;
import dev.eligibility.jobs.output.OutputTables;
import dev.eligibility.jobs.policy.RunContext;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Every corpus row of a run decided, with the two output frames and the digests: what a run
 * writes and what {@code lineage verify} recomputes to compare, made by the same code.
 *
 * <p>The decided frame is persisted (the tally, the digests and the writes all read it); close the
 * decision to release it.
 *
 * @param decided every candidate row with its reasons
 * @param tally counts, negative claims and upstream signals
 * @param eligibleRows the rows of {@code eligible/}
 * @param exclusionRows the run's rows of {@code exclusions/}
 * @param digests dataset digests of both outputs and of every corpus input
 * @param merkleRoot Merkle root over the eligible record ids
 */
public record Decision(
    Dataset<Row> decided,
    DecisionTally tally,
    Dataset<Row> eligibleRows,
    Dataset<Row> exclusionRows,
    DecisionDigests digests,
    String merkleRoot) implements AutoCloseable {

  /** Decides every row of {@code inputs} under {@code context} for run {@code runId}. */
  public static Decision of(InputTables inputs, RunContext context, String runId) {
    Dataset<Row> decided = new EligibilityEngine(context).decide(inputs).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<String> corpusColumns = EligibilityEngine.corpusColumns(decided);
      DecisionTally tally = DecisionTally.of(decided, context);
      DecisionDigests digests = DecisionDigests.of(decided, inputs.corpus(), runId, corpusColumns);
      Dataset<Row> eligibleRows = OutputTables.eligibleRows(decided, runId, corpusColumns);
      Dataset<Row> exclusionRows = OutputTables.exclusionRows(decided, runId);
      return new Decision(decided, tally, eligibleRows, exclusionRows, digests,
          MerkleRoots.ofRecordIds(eligibleRows, "record_id"));
    } catch (RuntimeException e) {
      decided.unpersist();
      throw e;
    }
  }

  /** Dataset digest of the eligible rows. */
  public String eligibleDigest() {
    return digests.eligible();
  }

  /** Dataset digest of the exclusion rows. */
  public String exclusionsDigest() {
    return digests.exclusions();
  }

  /** Dataset digest of the corpus input named {@code inputName}, as the run read it. */
  public String corpusDigest(String inputName) {
    String digest = digests.corpus().get(inputName);
    if (digest == null) {
      throw new IllegalArgumentException("the run read no corpus input named " + inputName);
    }
    return digest;
  }

  @Override
  public void close() {
    decided.unpersist();
  }
}
