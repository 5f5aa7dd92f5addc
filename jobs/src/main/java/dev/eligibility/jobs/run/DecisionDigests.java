package dev.eligibility.jobs.run;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.input.BoundTable;
import dev.eligibility.jobs.output.OutputTables;
import dev.eligibility.jobs.output.RowDigester;
import dev.eligibility.jobs.output.RowDigests;
import dev.eligibility.jobs.policy.Facts;
import dev.eligibility.lineage.DatasetDigest;
import java.io.Serializable;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

/**
 * The dataset digests a decision yields, all from one pass over the persisted decided rows: each
 * row is digested once as the corpus row it was read as (for its input's digest) and once as the
 * row it becomes (for the digest of {@code eligible/} or {@code exclusions/}), by
 * {@link RowDigester}s reading one shared projection of the row.
 *
 * <p>Why the corpus inputs are digested here and not in their validation pass: the decided rows
 * already hold every corpus column, so the payloads are read once, not twice. The pass also
 * checks that the decision neither lost nor repeated a corpus row: its row count per input must
 * equal the one the validation read, and its digest must equal the input's own where the reader
 * computed one ({@code lineage verify} reads every input with its digest, so a verification checks
 * both ways of digesting the corpus against each other). {@code lineage verify} digests the
 * written outputs with {@link RowDigests}, other code than this.
 *
 * @param eligible hex dataset digest of the eligible rows
 * @param exclusions hex dataset digest of the exclusion rows
 * @param corpus hex dataset digest of each corpus input's typed rows, by input name
 */
public record DecisionDigests(String eligible, String exclusions, Map<String, String> corpus) {

  public DecisionDigests {
    corpus = Map.copyOf(corpus);
  }

  static DecisionDigests of(Dataset<Row> decided, List<BoundTable> corpusInputs, String runId, List<String> corpusColumns) {
    RowDigester.Projection projection = new RowDigester.Projection();
    RowDigester[] inputs = corpusInputs.stream().map(table -> inputDigester(table, projection)).toArray(RowDigester[]::new);
    RowDigester eligible = RowDigester.of(decided, OutputTables.eligibleColumns(runId, corpusColumns), "record_id",
        projection);
    RowDigester exclusion = RowDigester.of(decided, OutputTables.exclusionColumns(runId), "record_id", projection);
    int inputOrdinal = projection.add(inputIndex(corpusInputs));
    int eligibleOrdinal = projection.add(col(Facts.REASON).isNull());

    Sums sums = new Sums(inputs.length);
    // Only the sums of each partition reach the driver.
    List<Sums> partitions = projection.rowsOf(decided)
        .mapPartitions(rows -> {
          FaultInjection.slowFirstAttemptIfAsked();
          return List.of(Sums.of(rows, inputs, eligible, exclusion, inputOrdinal, eligibleOrdinal)).iterator();
        })
        .collect();
    partitions.forEach(sums::merge);

    Map<String, String> corpus = new LinkedHashMap<>();
    for (int i = 0; i < corpusInputs.size(); i++) {
      BoundTable table = corpusInputs.get(i);
      String name = table.input().name();
      DatasetDigest digest = sums.inputs[i];
      if (digest.count() != table.rowCount()) {
        throw Errors.decidedRowsDifferFromInput(runId, name,
            "decided " + digest.count() + " rows, read " + table.rowCount());
      }
      if (table.datasetDigest().isPresent() && !table.datasetDigest().get().equals(digest.hex())) {
        throw Errors.decidedRowsDifferFromInput(runId, name, "their digest is " + digest.hex()
            + "; the validation pass digested the input as " + table.datasetDigest().get());
      }
      corpus.put(name, digest.hex());
    }
    return new DecisionDigests(sums.eligible.hex(), sums.exclusions.hex(), corpus);
  }

  /**
   * A digester of each decided row as the typed row of its corpus input: that input's own columns
   * with their own types (the union of several inputs adds the others' columns as nulls and may
   * widen a type).
   */
  private static RowDigester inputDigester(BoundTable table, RowDigester.Projection projection) {
    StructType schema = table.rows().schema();
    return RowDigester.of(schema, name -> RowDigests.column(name).cast(schema.apply(name).dataType()),
        RowDigests.column(table.contract().idColumn()), projection);
  }

  /** The index of each decided row's corpus input in the run's list; null for a row of no input read. */
  private static Column inputIndex(List<BoundTable> corpusInputs) {
    Column index = lit(null).cast("int");
    for (int i = corpusInputs.size() - 1; i >= 0; i--) {
      index = when(col(Facts.INPUT).equalTo(corpusInputs.get(i).input().name()), lit(i)).otherwise(index);
    }
    return index;
  }

  /** Digest sums of a set of decided rows: per corpus input, of the eligible rows and of the exclusions. */
  private static final class Sums implements Serializable {
    private static final long serialVersionUID = 1L;

    private final DatasetDigest[] inputs;
    private final DatasetDigest eligible = new DatasetDigest();
    private final DatasetDigest exclusions = new DatasetDigest();

    Sums(int inputCount) {
      inputs = new DatasetDigest[inputCount];
      for (int i = 0; i < inputCount; i++) {
        inputs[i] = new DatasetDigest();
      }
    }

    static Sums of(Iterator<InternalRow> rows, RowDigester[] inputDigesters, RowDigester eligibleDigester,
        RowDigester exclusionDigester, int inputOrdinal, int eligibleOrdinal) {
      Sums sums = new Sums(inputDigesters.length);
      RowDigester.Buffer buffer = new RowDigester.Buffer();
      while (rows.hasNext()) {
        InternalRow row = rows.next();
        if (row.isNullAt(inputOrdinal)) {
          throw new IllegalStateException("decided rows name a corpus input the run did not read");
        }
        int input = row.getInt(inputOrdinal);
        inputDigesters[input].addTo(sums.inputs[input], row, buffer);
        if (row.getBoolean(eligibleOrdinal)) {
          eligibleDigester.addTo(sums.eligible, row, buffer);
        } else {
          exclusionDigester.addTo(sums.exclusions, row, buffer);
        }
      }
      return sums;
    }

    void merge(Sums other) {
      for (int i = 0; i < inputs.length; i++) {
        inputs[i].merge(other.inputs[i]);
      }
      eligible.merge(other.eligible);
      exclusions.merge(other.exclusions);
    }
  }
}
