package dev.eligibility.jobs.decision;

import static org.apache.spark.sql.functions.col;

import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.input.BoundTable;
import dev.eligibility.jobs.evidence.MerkleRoots;
import dev.eligibility.jobs.publication.OutputTables;
import dev.eligibility.jobs.evidence.RowDigester;
import dev.eligibility.jobs.policy.Facts;
import dev.eligibility.jobs.policy.RunContext;
import dev.eligibility.lineage.DigestAlgorithm;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Every corpus row of a run decided on its keys (the first of a run's two passes over the
 * corpus): what {@code exclusions/}, the tally, the per-organization counts and the Merkle root
 * are made of. No column of it is payload: a row is its input, {@code record_id},
 * {@code source_kind}, {@code source_ref}, its facts and its reasons (a few hundred bytes).
 *
 * <p>The decided keys are persisted (the tally, the exclusions, the Merkle root and the eligible
 * pass all read them); close the decision to release them. A run and {@code lineage verify} make a
 * decision with the same code, and then the eligible rows with {@link EligibleRowsPass}.
 *
 * @param decided every corpus row's keys with their facts and reasons
 * @param tally counts, negative claims and upstream signals
 * @param exclusionRows the run's rows of {@code exclusions/}
 * @param exclusionsDigest hex dataset digest of the exclusion rows
 * @param merkleRoot Merkle root over the eligible record ids alone, for record format v6; null from
 *     v7, whose leaves bind each row's digest, which only the eligible pass computes
 */
public record Decision(
    Dataset<Row> decided,
    DecisionTally tally,
    Dataset<Row> exclusionRows,
    String exclusionsDigest,
    String merkleRoot) implements AutoCloseable {

  /** Decides every row of {@code inputs} under {@code context} for run {@code runId}. */
  public static Decision of(InputTables inputs, RunContext context, String runId) {
    return of(inputs, context, runId, DigestAlgorithm.CURRENT);
  }

  /** As {@link #of(InputTables, RunContext, String)}, digesting by {@code algorithm} (a run record's, when verifying it). */
  public static Decision of(InputTables inputs, RunContext context, String runId, DigestAlgorithm algorithm) {
    return of(persist(inputs, context), inputs, runId, context, algorithm);
  }

  /**
   * Makes the decision of run {@code runId} from rows already decided ({@link #persist}, or an
   * incremental run's): checks every corpus row of {@code inputs} was decided exactly once.
   */
  public static Decision of(Persisted persisted, InputTables inputs, String runId, RunContext context,
      DigestAlgorithm algorithm) {
    Dataset<Row> decided = persisted.decided();
    try {
      DecisionTally tally = DecisionTally.of(decided, context);
      persisted.releaseKeys();
      checkEveryRowDecidedOnce(tally, inputs.corpus(), runId);
      Dataset<Row> exclusionRows = OutputTables.exclusionRows(decided, runId);
      String exclusionsDigest = RowDigester.digest(exclusionRows, "record_id", algorithm).hex();
      String merkleRoot = algorithm == DigestAlgorithm.ADDITIVE_V1 ? MerkleRoots.ofRecordIds(eligibleIds(decided), "record_id")
          : null;
      return new Decision(decided, tally, exclusionRows, exclusionsDigest, merkleRoot);
    } catch (RuntimeException e) {
      persisted.releaseKeys();
      decided.unpersist();
      throw e;
    }
  }

  /**
   * The decided keys of {@code inputs}, persisted, before anything is made of them.
   *
   * @param countedKeys the corpus keys with their ids counted, persisted: computed once and read by
   *     every branch of the decision; release them once {@code decided} has been computed
   * @param decided the decided keys, persisted
   */
  public record Persisted(Dataset<Row> countedKeys, Dataset<Row> decided) {
    public void releaseKeys() {
      countedKeys.unpersist(false);
    }
  }

  /** Decides every row of {@code inputs} under {@code context}, persisted, as a run does. */
  public static Persisted persist(InputTables inputs, RunContext context) {
    Dataset<Row> corpusKeys = CorpusUnion.keys(inputs.corpus());
    Dataset<Row> keys = EligibilityEngine.countIds(corpusKeys).persist(StorageLevel.MEMORY_AND_DISK());
    // The decision unites several joins' outputs, each with its own partitions; merged (without a
    // shuffle) to about as many as the corpus was read in, so that what is made of it (the tally,
    // exclusions/ files, the Merkle root) runs in tasks sized by the data, not by the plan.
    Dataset<Row> decided = settle(new EligibilityEngine(context).decideCounted(keys, inputs), corpusKeys);
    return new Persisted(keys, decided);
  }

  /** {@code decided} merged into about as many partitions as {@code corpusKeys} has, persisted. */
  public static Dataset<Row> settle(Dataset<Row> decided, Dataset<Row> corpusKeys) {
    int partitions = Math.max(corpusKeys.rdd().getNumPartitions(),
        corpusKeys.sparkSession().sparkContext().defaultParallelism());
    return decided.coalesce(partitions).persist(StorageLevel.MEMORY_AND_DISK());
  }

  /** The record ids of the eligible rows: unique and non-empty, since duplicates and empty ids are excluded. */
  public Dataset<Row> eligibleIds() {
    return eligibleIds(decided);
  }

  private static Dataset<Row> eligibleIds(Dataset<Row> decided) {
    return decided.filter(col(Facts.REASON).isNull()).select(col("record_id"));
  }

  /** The decision neither lost nor repeated a corpus row: its rows per input are the rows read. */
  private static void checkEveryRowDecidedOnce(DecisionTally tally, List<BoundTable> corpus, String runId) {
    Map<String, Long> decidedRows = tally.rowsByInput();
    for (BoundTable table : corpus) {
      String name = table.input().name();
      long decidedCount = decidedRows.getOrDefault(name, 0L);
      if (decidedCount != table.rowCount()) {
        throw Errors.decidedRowsDifferFromInput(runId, name, "decided " + decidedCount + " rows, read " + table.rowCount());
      }
    }
  }

  @Override
  public void close() {
    decided.unpersist();
  }
}
