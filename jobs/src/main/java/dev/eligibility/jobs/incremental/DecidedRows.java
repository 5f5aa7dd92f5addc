package dev.eligibility.jobs.incremental;

import static org.apache.spark.sql.functions.col;

import dev.eligibility.jobs.decision.CorpusUnion;
import dev.eligibility.jobs.decision.Decision;
import dev.eligibility.jobs.decision.EligibilityEngine;
import dev.eligibility.jobs.decision.InputTables;
import dev.eligibility.jobs.input.BoundTable;
import dev.eligibility.jobs.policy.RunContext;
import dev.eligibility.jobs.publication.OutputTables;
import dev.eligibility.lineage.DecisionMode;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Dataset$;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.LogicalRDD$;
import org.apache.spark.storage.StorageLevel;

/**
 * Every corpus row of a run decided, by a full run or an incremental one, and how to keep them for
 * the next run. An incremental run takes the base run's decided rows of the record ids that did
 * not change ({@link ChangedRows}) and decides the others with the same engine as a full run,
 * looking up only the requests, files and licences those rows name; the union is every corpus
 * row's decision, exactly as a full run would make it. Close it to release what it persisted.
 */
public final class DecidedRows implements AutoCloseable {

  private final Decision.Persisted persisted;
  private final DecisionPlan plan;
  private final Optional<Incremental> incremental;
  private final long redecidedRows;

  /** What an incremental run decided again: the record ids and their rows' decisions, both persisted. */
  private record Incremental(Dataset<Row> changedIds, Dataset<Row> redecided, List<Dataset<Row>> persisted,
      long baseStateVersion) {}

  private DecidedRows(Decision.Persisted persisted, DecisionPlan plan, Optional<Incremental> incremental,
      long redecidedRows) {
    this.persisted = persisted;
    this.plan = plan;
    this.incremental = incremental;
    this.redecidedRows = redecidedRows;
  }

  static DecidedRows full(InputTables inputs, RunContext context, DecisionPlan plan) {
    long rows = inputs.corpus().stream().mapToLong(BoundTable::rowCount).sum();
    return new DecidedRows(Decision.persist(inputs, context), plan, Optional.empty(), rows);
  }

  static DecidedRows incremental(SparkSession spark, InputTables inputs, RunContext context, ChangedRows changed,
      String statePath, long baseStateVersion, DecisionPlan plan) {
    Dataset<Row> persistedIds = changed.recordIds().persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> ids = leaf(persistedIds);
    Column changedId = col("record_id").eqNullSafe(col(ChangedRows.ID));
    Dataset<Row> corpusKeys = CorpusUnion.keys(inputs.corpus());
    Dataset<Row> persistedKeys = EligibilityEngine.countIds(corpusKeys.join(ids, changedId, "leftsemi"))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> counted = leaf(persistedKeys);
    Dataset<Row> persistedDecisions = new EligibilityEngine(context).decideCounted(counted, namedBy(counted, inputs))
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> redecided = leaf(persistedDecisions);
    Dataset<Row> kept = spark.read().format("delta").option("versionAsOf", baseStateVersion).load(statePath)
        .join(ids, changedId, "leftanti");
    Dataset<Row> decided = Decision.settle(kept.unionByName(redecided), corpusKeys);
    long redecidedRows = redecided.count();
    return new DecidedRows(new Decision.Persisted(persistedKeys, decided), plan,
        Optional.of(new Incremental(ids, redecided, List.of(persistedIds, persistedDecisions), baseStateVersion)),
        redecidedRows);
  }

  /**
   * A persisted frame as a leaf of the plans built on it. The changed ids and the keys they select
   * are each read by several branches of the decision; as plain sub-plans, every branch would carry
   * (and the analyzer walk) a copy of the many change feeds and windows they come from. The leaf
   * reads the cache and carries its size (joins on it can be broadcast); a lost cached block is
   * recomputed from the frame's lineage.
   */
  private static Dataset<Row> leaf(Dataset<Row> persisted) {
    // Materialized first, so that the leaf carries the cached size: joins on it can be broadcast.
    persisted.count();
    return Dataset$.MODULE$.ofRows(persisted.sparkSession(),
        LogicalRDD$.MODULE$.fromDataset(persisted.queryExecution().toRdd(), persisted, false));
  }

  /**
   * The reference inputs narrowed to the rows {@code keys} can name (their {@code source_ref}):
   * a request, file or licence no re-decided row names cannot change a re-decided row's facts.
   */
  private static InputTables namedBy(Dataset<Row> keys, InputTables inputs) {
    Dataset<Row> refs = keys.select(col("source_ref").as(ChangedRows.REF)).filter(col(ChangedRows.REF).isNotNull())
        .distinct();
    return new InputTables(inputs.corpus(),
        narrowed(inputs.apiRequests(), "request_id", refs),
        inputs.consentEvents(),
        narrowed(inputs.fineTuneFiles(), "file_id", refs),
        inputs.fineTunedModels(),
        inputs.zdrAgreements(),
        inputs.licenses().map(table -> narrowed(table, "license_id", refs)));
  }

  private static BoundTable narrowed(BoundTable table, String key, Dataset<Row> refs) {
    return table.withRows(table.rows().join(refs, col(key).equalTo(col(ChangedRows.REF)), "leftsemi"));
  }

  public Decision.Persisted persisted() {
    return persisted;
  }

  /**
   * Keeps the decided rows in the decisions table for the next run and returns what the manifest
   * records. A full run replaces the table; an incremental one deletes the rows of the changed
   * record ids and appends their new decisions (deletion vectors: no unchanged row is rewritten),
   * unless the table moved since the base run (a run that failed after writing it), when it too
   * replaces it.
   */
  public DecisionMode keep(OutputTables tables, String statePath) {
    long version = incremental.isPresent()
        ? tables.updateDecisions(incremental.get().baseStateVersion(), incremental.get().changedIds(),
            ChangedRows.ID, incremental.get().redecided(), persisted.decided())
        : tables.writeDecisions(persisted.decided());
    return plan.mode(redecidedRows, statePath, version);
  }

  @Override
  public void close() {
    persisted.releaseKeys();
    incremental.ifPresent(i -> i.persisted().forEach(frame -> frame.unpersist(false)));
  }
}
