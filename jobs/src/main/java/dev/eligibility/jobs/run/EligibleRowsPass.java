package dev.eligibility.jobs.run;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import dev.eligibility.jobs.decision.CorpusUnion;
import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.input.BoundTable;
import dev.eligibility.jobs.publication.OutputColumns;
import dev.eligibility.jobs.publication.OutputTables;
import dev.eligibility.jobs.evidence.LeafFiles;
import dev.eligibility.jobs.evidence.RowDigester;
import dev.eligibility.jobs.evidence.RowDigests;
import dev.eligibility.jobs.policy.Definitions;
import dev.eligibility.jobs.policy.FactConditions;
import dev.eligibility.jobs.policy.Term;
import dev.eligibility.jobs.policy.Facts;
import dev.eligibility.lineage.DatasetDigest;
import dev.eligibility.lineage.DigestAlgorithm;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The second of a run's two passes over the corpus, the only one that reads the payload: every
 * corpus row, marked eligible where its record id is one of the decision's eligible ids, becomes
 * an {@code eligible/} row or nothing, and is digested on the way, in the stage that writes.
 *
 * <p>The eligible ids are unique, so the mark is a join on the id alone (rows with an empty id are
 * never eligible and skip it). The ids are the side the join builds: broadcast when adaptive
 * execution finds them small, otherwise hashed per shuffle partition, so the payload crosses at
 * most one shuffle and is never sorted. The digests (each corpus input's over all its rows, the
 * eligible rows') are summed in an accumulator by the tasks that produce the rows, so the payload
 * is read once and written once. Spark applies a result task's accumulator update once, whatever
 * its retries and speculative copies; {@link #digests} refuses sums whose row counts are not the
 * decision's, so a pass run twice, or a row lost or repeated, can never yield a digest.
 *
 * <p>Use: {@link #rows()} is consumed by exactly one action (the Delta write of a run, or
 * {@link #consumeWithoutWriting()} for {@code lineage verify}); then {@link #digests} reads the
 * sums.
 */
public final class EligibleRowsPass {

  private static final String ELIGIBLE_ID = Facts.PREFIX + "e_record_id";
  private static final String ELIGIBLE = Facts.PREFIX + "eligible";

  private final List<BoundTable> corpus;
  private final String runId;
  private final Dataset<Row> rows;
  private final DigestSums sums;

  private EligibleRowsPass(List<BoundTable> corpus, String runId, Dataset<Row> rows, DigestSums sums) {
    this.corpus = List.copyOf(corpus);
    this.runId = runId;
    this.rows = rows;
    this.sums = sums;
  }

  /** The corpus rows of {@code corpusInputs}, each marked whether its id is among {@code eligibleIds}. */
  static Dataset<Row> marked(List<BoundTable> corpusInputs, Dataset<Row> eligibleIds) {
    Dataset<Row> corpus = CorpusUnion.rows(corpusInputs);
    Column id = col("record_id");
    Term present = Definitions.present(Term.field("record_id"));
    Dataset<Row> ids = eligibleIds.select(col("record_id").as(ELIGIBLE_ID), lit(true).as(ELIGIBLE));
    Dataset<Row> withId = corpus.filter(present.column()).join(ids, id.equalTo(col(ELIGIBLE_ID)), "left").drop(ELIGIBLE_ID);
    return withId.unionByName(corpus.filter(FactConditions.not(present).column()), true)
        .withColumn(ELIGIBLE, coalesce(col(ELIGIBLE), lit(false)));
  }

  /** The pass of run {@code runId} over {@code corpusInputs}, keeping the rows whose id is in {@code eligibleIds}. */
  public static EligibleRowsPass of(SparkSession spark, List<BoundTable> corpusInputs, Dataset<Row> eligibleIds,
      String runId) {
    return of(spark, corpusInputs, eligibleIds, runId, DigestAlgorithm.CURRENT, Optional.empty());
  }

  /**
   * As {@link #of(SparkSession, List, Dataset, String)}, digesting by {@code algorithm} (a run's
   * record's), and where {@code leaves} is given, writing each eligible row's Merkle leaf (record
   * id and row digest) to a file of its task there ({@link LeafFiles}).
   */
  public static EligibleRowsPass of(SparkSession spark, List<BoundTable> corpusInputs, Dataset<Row> eligibleIds,
      String runId, DigestAlgorithm algorithm, Optional<LeafFiles.Folder> leaves) {
    Dataset<Row> marked = marked(corpusInputs, eligibleIds);
    List<String> corpusColumns = CorpusUnion.corpusColumns(marked);
    Map<String, Column> output = OutputTables.eligibleColumns(runId, corpusColumns);
    StructType outputSchema = OutputColumns.commented(marked.select(RowDigester.named(output)).schema(),
        OutputColumns.eligible());

    // The output columns come first in the projected row, in order, so a row's first fields are its eligible row.
    RowDigester.Projection projection = new RowDigester.Projection();
    output.values().forEach(projection::add);
    RowDigester eligible = RowDigester.of(marked, output, "record_id", projection);
    RowDigester[] inputs = corpusInputs.stream().map(t -> inputDigester(t, projection)).toArray(RowDigester[]::new);
    int inputOrdinal = projection.add(inputIndex(corpusInputs));
    int eligibleOrdinal = projection.add(col(ELIGIBLE));

    DigestSums sums = new DigestSums(inputs.length, algorithm);
    spark.sparkContext().register(sums, "eligibility digests of run " + runId);
    DataType[] outputTypes = java.util.Arrays.stream(outputSchema.fields()).map(StructField::dataType)
        .toArray(DataType[]::new);
    LeafFiles.Folder leafFolder = leaves.orElse(null); // Optional is not serializable: the tasks get the folder or null
    JavaRDD<InternalRow> eligibleRows = projection.rowsOf(marked).mapPartitions(partition -> {
      FaultInjection.slowFirstAttemptIfAsked();
      return new EligibleRows(partition, UnsafeProjection.create(outputTypes), inputs, eligible, inputOrdinal,
          eligibleOrdinal, sums.value(), Optional.ofNullable(leafFolder).map(LeafFiles.Folder::writer));
    }, true);
    Dataset<Row> rows = spark.internalCreateDataFrame(eligibleRows.rdd(), outputSchema, false);
    return new EligibleRowsPass(corpusInputs, runId, rows, sums);
  }

  /** The eligible rows: every corpus column plus {@code run_id}. Consume them once. */
  public Dataset<Row> rows() {
    return rows;
  }

  /** Runs the pass for its digests alone, writing nothing. */
  public void consumeWithoutWriting() {
    rows.write().format("noop").mode("overwrite").save();
  }

  /**
   * The digests summed while the rows were consumed, once their counts are checked: every corpus
   * input's rows are the rows read (and digest as the reader digested them, where it did), and the
   * eligible rows are the {@code eligibleRows} the decision counted.
   */
  public Digests digests(long eligibleRows) {
    DigestSums.Sums total = sums.value();
    Map<String, String> corpusDigests = new LinkedHashMap<>();
    for (int i = 0; i < corpus.size(); i++) {
      BoundTable table = corpus.get(i);
      String name = table.input().name();
      DatasetDigest digest = total.inputs()[i];
      if (digest.count() != table.rowCount()) {
        throw Errors.eligiblePassDiffers(runId, "it saw " + digest.count() + " rows of corpus input '" + name
            + "', the validation read " + table.rowCount());
      }
      if (table.datasetDigest().isPresent() && !table.datasetDigest().get().equals(digest.hex())) {
        throw Errors.eligiblePassDiffers(runId, "corpus input '" + name + "' digests as " + digest.hex()
            + "; the validation pass digested it as " + table.datasetDigest().get());
      }
      corpusDigests.put(name, digest.hex());
    }
    if (total.eligible().count() != eligibleRows) {
      throw Errors.eligiblePassDiffers(runId, "it produced " + total.eligible().count() + " eligible rows, the decision "
          + eligibleRows);
    }
    long leaves = total.leafFiles().stream().mapToLong(LeafFiles.Written::leaves).sum();
    if (!total.leafFiles().isEmpty() && leaves != eligibleRows) {
      throw Errors.eligiblePassDiffers(runId, "it kept " + leaves + " Merkle leaves of " + eligibleRows + " eligible rows");
    }
    return new Digests(total.eligible().hex(), corpusDigests, total.leafFiles());
  }

  /**
   * The digests of one pass.
   *
   * @param eligible hex dataset digest of the eligible rows
   * @param corpus hex dataset digest of each corpus input's typed rows, by input name
   * @param leafFiles the files holding the eligible rows' Merkle leaves, when the pass kept them
   */
  public record Digests(String eligible, Map<String, String> corpus, List<LeafFiles.Written> leafFiles) {
    public Digests {
      corpus = Map.copyOf(corpus);
      leafFiles = List.copyOf(leafFiles);
    }
  }

  /**
   * A digester of each row as the typed row of its corpus input: that input's own columns with
   * their own types (the union of several inputs adds the others' columns as nulls and may widen a
   * type).
   */
  private static RowDigester inputDigester(BoundTable table, RowDigester.Projection projection) {
    StructType schema = table.rows().schema();
    return RowDigester.of(schema, name -> RowDigests.column(name).cast(schema.apply(name).dataType()),
        RowDigests.column(table.contract().idColumn()), projection);
  }

  /** The index of each row's corpus input in the run's list. */
  private static Column inputIndex(List<BoundTable> corpusInputs) {
    Column index = lit(null).cast("int");
    for (int i = corpusInputs.size() - 1; i >= 0; i--) {
      index = when(col(Facts.INPUT).equalTo(corpusInputs.get(i).input().name()), lit(i)).otherwise(index);
    }
    return index;
  }

  /** The eligible rows of one partition, each row digested as it goes by. */
  private static final class EligibleRows implements Iterator<InternalRow> {
    private final Iterator<InternalRow> rows;
    private final UnsafeProjection output;
    private final RowDigester[] inputs;
    private final RowDigester eligible;
    private final int inputOrdinal;
    private final int eligibleOrdinal;
    private final DigestSums.Sums sums;
    private final Optional<LeafFiles.Writer> leaves;
    private final RowDigester.Buffer buffer = new RowDigester.Buffer();
    private InternalRow next;

    EligibleRows(Iterator<InternalRow> rows, UnsafeProjection output, RowDigester[] inputs, RowDigester eligible,
        int inputOrdinal, int eligibleOrdinal, DigestSums.Sums sums, Optional<LeafFiles.Writer> leaves) {
      this.rows = rows;
      this.output = output;
      this.inputs = inputs;
      this.eligible = eligible;
      this.inputOrdinal = inputOrdinal;
      this.eligibleOrdinal = eligibleOrdinal;
      this.sums = sums;
      this.leaves = leaves;
    }

    @Override
    public boolean hasNext() {
      while (next == null && rows.hasNext()) {
        InternalRow row = rows.next();
        if (row.isNullAt(inputOrdinal)) {
          throw new IllegalStateException("a corpus row names an input the run did not read");
        }
        int input = row.getInt(inputOrdinal);
        inputs[input].addTo(sums.inputs()[input], row, buffer);
        if (row.getBoolean(eligibleOrdinal)) {
          byte[] rowDigest = eligible.addTo(sums.eligible(), row, buffer);
          if (leaves.isPresent()) {
            leaves.get().add(eligible.recordId(row), rowDigest);
          }
          next = output.apply(row);
        }
      }
      if (next == null && leaves.isPresent()) {
        // The task's last row is out: its leaf file is complete (closing again is a no-op).
        leaves.get().close().ifPresent(sums.leafFiles()::add);
      }
      return next != null;
    }

    @Override
    public InternalRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      InternalRow row = next;
      next = null;
      return row;
    }
  }
}
