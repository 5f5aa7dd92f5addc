package dev.eligibility.jobs.review;

import static org.apache.spark.sql.functions.col;

import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.evidence.MerkleRoots;
import dev.eligibility.jobs.evidence.RowDigests;
import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.jobs.publication.PayloadGone;
import dev.eligibility.jobs.publication.RunEvidence;
import dev.eligibility.lineage.MembershipProof;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.RunRecord;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Inclusion and non-inclusion proofs of record ids in a committed run's eligible set. The record
 * ids of {@code eligible/} at the pinned version, with their rows' digests (record format v7), are
 * hashed and folded where they are (the driver sees O(log n) hashes per proof) and must give the
 * manifest's Merkle root; once the payload of that version is purged after the audit window, the
 * run's evidence supplies the ids and row digests instead.
 */
public final class MembershipProofs {

  private static final String ROW_DIGEST = "row_digest";

  private final SparkSession spark;
  private final RunRecord record;
  private final String manifestDigest;
  private final OutputSnapshot eligible;

  public MembershipProofs(SparkSession spark, RunRecord record, String manifestDigest) {
    this.spark = spark;
    this.record = record;
    this.manifestDigest = manifestDigest;
    this.eligible = record.output(OutputLayout.ELIGIBLE)
        .orElseThrow(() -> Errors.specConflict("run record", "it names no eligible output"));
  }

  /** The proof that {@code recordId} is, or is not, in the run's eligible set. */
  public MembershipProof prove(String recordId) {
    Dataset<Row> rows = spark.read().format("delta").option("versionAsOf", eligible.deltaVersion()).load(eligible.path());
    try {
      return prove(rows.select(col("record_id"), RowDigests.rowDigest(rows, "record_id").as(ROW_DIGEST)), recordId);
    } catch (Exception e) {
      if (!PayloadGone.isCause(e)) {
        throw PayloadGone.rethrow(e);
      }
      // The payload was purged after the audit window: the run's evidence holds its record ids and row digests.
      return prove(evidence(), recordId);
    }
  }

  /** The proof over {@code leaves} ({@code record_id} and {@code row_digest}, from {@code eligible/} or the evidence). */
  private MembershipProof prove(Dataset<Row> leaves, String recordId) {
    try {
      return MerkleRoots.prove(leaves, "record_id", MerkleRoots.rowDigestColumnOf(record), recordId, eligible.merkleRoot(),
          eligible.rowCount());
    } catch (IllegalStateException e) {
      throw Errors.specConflict(eligible.path() + " v" + eligible.deltaVersion(), e.getMessage() + ".");
    }
  }

  private Dataset<Row> evidence() {
    OutputLayout layout = OutputLayout.of(record);
    return new RunEvidence(spark, layout).of(record, manifestDigest)
        .orElseThrow(() -> Errors.specConflict(eligible.path() + " v" + eligible.deltaVersion(),
            "the payload of this version is purged and no evidence of the run is recorded under " + layout.root()
                + "/evidence, so its record ids are gone."));
  }
}
