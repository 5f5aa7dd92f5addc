package dev.eligibility.jobs.publication;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.eligibility.jobs.evidence.MerkleRoots;
import dev.eligibility.jobs.evidence.RowDigests;
import dev.eligibility.lineage.DigestAlgorithm;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.RunRecord;
import io.delta.tables.DeltaTable;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What stays of a run once its payload is purged: the {@code evidence/} Delta table under the
 * output root, one row per eligible row of each run ({@code manifest_digest}, {@code run_id},
 * {@code record_id}, {@code row_digest}: the SHA-256 of the row's canonical encoding), never the
 * payload. The row digests sum to the manifest's eligible dataset digest and the record ids give
 * its Merkle root, so proofs, {@code lineage verify --evidence-only} and the counts still hold for
 * a run whose {@code eligible/} files are gone.
 *
 * <p>A run's evidence is written from its eligible rows at the version it committed, and only if
 * they still give the manifest's digest, count and Merkle root: evidence that does not match its
 * manifest is never written. {@code eligibility vacuum} writes it for every run before it purges.
 */
public final class RunEvidence {

  /** What recording a run's evidence found. */
  public enum Outcome {
    /** Written now. */
    RECORDED,
    /** Was there already. */
    ALREADY_RECORDED,
    /** The run's eligible rows are no longer readable (and no evidence was recorded before). */
    PAYLOAD_GONE,
    /** The eligible rows no longer give the manifest's digest or root: nothing written. */
    DOES_NOT_MATCH
  }

  private final SparkSession spark;
  private final OutputLayout layout;

  public RunEvidence(SparkSession spark, OutputLayout layout) {
    this.spark = spark;
    this.layout = layout;
  }

  /**
   * The evidence rows ({@code record_id}, {@code row_digest}) of {@code record}, committed with
   * manifest {@code manifestDigest}, if recorded. A run with no eligible row has no evidence rows,
   * and its (empty) evidence is always there.
   */
  public Optional<Dataset<Row>> of(RunRecord record, String manifestDigest) {
    boolean empty = record.output(OutputLayout.ELIGIBLE).orElseThrow().rowCount() == 0;
    if (!DeltaTable.isDeltaTable(spark, layout.evidence())) {
      return empty ? Optional.of(spark.emptyDataFrame().select(lit("").as("record_id"), lit(new byte[0]).as("row_digest"))
          .limit(0)) : Optional.empty();
    }
    Dataset<Row> rows = spark.read().format("delta").load(layout.evidence())
        .filter(col("manifest_digest").equalTo(lit(manifestDigest)))
        .select(col("record_id"), col("row_digest"));
    return empty || !rows.isEmpty() ? Optional.of(rows) : Optional.empty();
  }

  /**
   * Whether the evidence of a run matches its manifest: the row digests give the eligible dataset
   * digest and count, the record ids (with the row digests, from record format v7) the Merkle root.
   * Empty when it does; otherwise what differs.
   */
  public static Optional<String> mismatch(Dataset<Row> evidence, RunRecord record) {
    OutputSnapshot eligible = record.output(OutputLayout.ELIGIBLE).orElseThrow();
    DigestAlgorithm algorithm = record.digestAlgorithm();
    RowDigests.TableDigest digest = RowDigests.digestOfRowDigests(evidence, "row_digest", algorithm);
    if (digest.count() != eligible.rowCount() || !digest.hex().equals(eligible.datasetDigest())) {
      return Optional.of(digest.count() + " rows with digest " + digest.hex() + "; the manifest records "
          + eligible.rowCount() + " rows with digest " + eligible.datasetDigest());
    }
    String root = MerkleRoots.root(evidence, "record_id", MerkleRoots.rowDigestColumnOf(record));
    return root.equals(eligible.merkleRoot())
        ? Optional.empty()
        : Optional.of("record ids and row digests give Merkle root " + root + "; the manifest records " + eligible.merkleRoot());
  }

  /** Records the evidence of {@code record} (committed with {@code manifestDigest}) unless it is there. */
  public Outcome record(RunRecord record, String manifestDigest) {
    if (of(record, manifestDigest).isPresent()) {
      return Outcome.ALREADY_RECORDED;
    }
    OutputSnapshot eligible = record.output(OutputLayout.ELIGIBLE).orElseThrow();
    Dataset<Row> rows;
    try {
      Dataset<Row> payload = spark.read().format("delta").option("versionAsOf", eligible.deltaVersion())
          .load(eligible.path());
      rows = payload.select(lit(manifestDigest).as("manifest_digest"), lit(record.run().runId()).as("run_id"),
              col("record_id"), RowDigests.rowDigest(payload, "record_id").as("row_digest"))
          .persist();
      rows.count();
    } catch (Exception e) {
      if (PayloadGone.isCause(e)) {
        return Outcome.PAYLOAD_GONE;
      }
      throw PayloadGone.rethrow(e);
    }
    try {
      if (mismatch(rows, record).isPresent()) {
        return Outcome.DOES_NOT_MATCH;
      }
      rows.write().format("delta").mode("append").save(layout.evidence());
      return Outcome.RECORDED;
    } finally {
      rows.unpersist();
    }
  }

}
