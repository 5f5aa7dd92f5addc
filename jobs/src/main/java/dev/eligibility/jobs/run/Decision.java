package dev.eligibility.jobs.run;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.eligibility.jobs.engine.EligibilityEngine;
import dev.eligibility.jobs.engine.InputTables;
import dev.eligibility.jobs.output.DecisionTally;
import dev.eligibility.jobs.output.MerkleRoots;
import dev.eligibility.jobs.output.OutputTables;
import dev.eligibility.jobs.output.RowDigests;
import dev.eligibility.jobs.policy.Facts;
import dev.eligibility.jobs.policy.RunContext;
import dev.eligibility.lineage.DatasetDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
      DecisionTally tally = DecisionTally.of(decided, context);
      Map<Boolean, String> digests = outputDigests(decided, runId, corpusColumns);
      Dataset<Row> eligibleRows = OutputTables.eligibleRows(decided, runId, corpusColumns);
      Dataset<Row> exclusionRows = OutputTables.exclusionRows(decided, runId);
      return new Decision(decided, tally, eligibleRows, exclusionRows, digests.get(true), digests.get(false),
          MerkleRoots.ofRecordIds(eligibleRows, "record_id"));
    } catch (RuntimeException e) {
      decided.unpersist();
      throw e;
    }
  }

  /**
   * The hex dataset digests of {@code eligible/} (key {@code true}) and {@code exclusions/}
   * ({@code false}), in one pass over the decided rows: each row is encoded as the row it becomes,
   * and the digest sums are grouped by outcome. {@code lineage verify} and the tests recompute
   * both digests from the written tables.
   */
  private static Map<Boolean, String> outputDigests(Dataset<Row> decided, String runId, List<String> corpusColumns) {
    Column eligible = RowDigests.rowDigestHex(decided, OutputTables.eligibleColumns(runId, corpusColumns), "record_id");
    Column exclusion = RowDigests.rowDigestHex(decided, OutputTables.exclusionColumns(runId), "record_id");
    Column isEligible = col(Facts.REASON).isNull();
    Map<Boolean, String> digests = new HashMap<>();
    // A table with no rows has no group; its digest is that of the empty multiset.
    digests.put(true, new DatasetDigest().hex());
    digests.put(false, new DatasetDigest().hex());
    decided.groupBy(isEligible.as("eligible"))
        .agg(count(lit(1)), RowDigests.digestSum(when(isEligible, eligible).otherwise(exclusion)))
        .collectAsList()
        .forEach(group -> digests.put(group.getBoolean(0), RowDigests.TableDigest.of(group, 1, 2).hex()));
    return digests;
  }

  @Override
  public void close() {
    decided.unpersist();
  }
}
