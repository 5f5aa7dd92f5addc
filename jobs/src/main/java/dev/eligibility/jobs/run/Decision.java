package dev.eligibility.jobs.run;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;

import dev.eligibility.jobs.engine.EligibilityEngine;
import dev.eligibility.jobs.engine.InputTables;
import dev.eligibility.jobs.output.DecisionTally;
import dev.eligibility.jobs.output.MerkleRoots;
import dev.eligibility.jobs.output.OutputTables;
import dev.eligibility.jobs.output.RowDigests;
import dev.eligibility.jobs.policy.Facts;
import dev.eligibility.jobs.policy.RunContext;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
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
      List<String> corpusColumns = EligibilityEngine.corpusColumns(decided);
      DecisionTally tally = DecisionTally.of(decided, context, Optional.of(outputRowDigest(decided, runId, corpusColumns)));
      DecisionTally.OutputDigests digests = tally.outputDigests().orElseThrow();
      Dataset<Row> eligibleRows = OutputTables.eligibleRows(decided, runId, corpusColumns);
      Dataset<Row> exclusionRows = OutputTables.exclusionRows(decided, runId);
      return new Decision(decided, tally, eligibleRows, exclusionRows, digests.eligible(), digests.exclusions(),
          MerkleRoots.ofRecordIds(eligibleRows, "record_id"));
    } catch (RuntimeException e) {
      decided.unpersist();
      throw e;
    }
  }

  /**
   * Each decided row's hex row digest as the row it becomes: of {@code eligible/} when it has no
   * reason, else of {@code exclusions/}. Digesting both tables in the tally's pass over the
   * decided rows saves two more passes; {@code lineage verify} and the tests recompute the digests
   * from the written tables.
   */
  private static Column outputRowDigest(Dataset<Row> decided, String runId, List<String> corpusColumns) {
    Column eligible = RowDigests.rowDigestHex(decided, OutputTables.eligibleColumns(runId, corpusColumns), "record_id");
    Column exclusion = RowDigests.rowDigestHex(decided, OutputTables.exclusionColumns(runId), "record_id");
    return when(col(Facts.REASON).isNull(), eligible).otherwise(exclusion);
  }

  @Override
  public void close() {
    decided.unpersist();
  }
}
