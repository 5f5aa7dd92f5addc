package dev.eligibility.jobs.run;

import dev.eligibility.jobs.engine.EligibilityEngine;
import dev.eligibility.jobs.engine.InputTables;
import dev.eligibility.jobs.output.DecisionTally;
import dev.eligibility.jobs.output.MerkleRoots;
import dev.eligibility.jobs.output.OutputTables;
import dev.eligibility.jobs.output.RowDigests;
import dev.eligibility.jobs.policy.RunContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Every corpus row of a run decided, with the two output frames and their digests: what a run
 * writes and what {@code lineage verify} recomputes to compare, made by the same code.
 *
 * <p>The decided frame is persisted (the tally, the digests and the writes all read it); close the
 * decision to release it.
 *
 * @param decided every candidate row with its reasons
 * @param tally counts, negative claims and upstream signals
 * @param eligibleRows the rows of {@code eligible/}
 * @param exclusionRows the run's rows of {@code exclusions/}
 * @param eligibleDigest dataset digest of the eligible rows
 * @param exclusionsDigest dataset digest of the exclusion rows
 * @param merkleRoot Merkle root over the eligible record ids
 */
public record Decision(
    Dataset<Row> decided,
    DecisionTally tally,
    Dataset<Row> eligibleRows,
    Dataset<Row> exclusionRows,
    String eligibleDigest,
    String exclusionsDigest,
    String merkleRoot) implements AutoCloseable {

  /** Decides every row of {@code inputs} under {@code context} for run {@code runId}. */
  public static Decision of(InputTables inputs, RunContext context, String runId) {
    Dataset<Row> decided = new EligibilityEngine(context).decide(inputs).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      DecisionTally tally = DecisionTally.of(decided, context);
      Dataset<Row> eligibleRows = OutputTables.eligibleRows(decided, runId, EligibilityEngine.corpusColumns(decided));
      Dataset<Row> exclusionRows = OutputTables.exclusionRows(decided, runId);
      return new Decision(decided, tally, eligibleRows, exclusionRows,
          RowDigests.digest(eligibleRows, "record_id").hex(),
          RowDigests.digest(exclusionRows, "record_id").hex(),
          MerkleRoots.ofRecordIds(eligibleRows, "record_id"));
    } catch (RuntimeException e) {
      decided.unpersist();
      throw e;
    }
  }

  @Override
  public void close() {
    decided.unpersist();
  }
}
