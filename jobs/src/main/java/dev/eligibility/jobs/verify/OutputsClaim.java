package dev.eligibility.jobs.verify;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.eligibility.jobs.evidence.MerkleRoots;
import dev.eligibility.jobs.evidence.RowDigests;
import dev.eligibility.jobs.publication.PayloadGone;
import dev.eligibility.lineage.DigestAlgorithm;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.verify.Claim;
import dev.eligibility.lineage.verify.ClaimResult;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * {@link Claim#OUTPUTS}: {@code eligible/} and the run's rows of {@code exclusions/} at the
 * pinned versions hash to the recorded digests and counts, and the eligible record ids give the
 * recorded Merkle root.
 */
final class OutputsClaim {

  private OutputsClaim() {}

  static ClaimResult check(VerifiedManifest manifest) {
    OutputSnapshot eligible = manifest.eligible();
    OutputSnapshot exclusions = manifest.exclusions();
    try {
      Dataset<Row> eligibleRows = manifest.atVersion(eligible);
      Dataset<Row> exclusionRows = manifest.atVersion(exclusions).filter(col("run_id").equalTo(lit(manifest.runId())));
      List<String> problems = new ArrayList<>();
      DigestAlgorithm algorithm = manifest.record().digestAlgorithm();
      // Each eligible row's digest, computed once from the payload: the table's digest and the Merkle root both use it.
      Dataset<Row> leaves = eligibleRows.select(col("record_id"), RowDigests.rowDigest(eligibleRows, "record_id").as("row_digest"))
          .persist(StorageLevel.MEMORY_AND_DISK());
      String root;
      try {
        compare(problems, eligible, RowDigests.digestOfRowDigests(leaves, "row_digest", algorithm));
        root = MerkleRoots.root(leaves, "record_id", MerkleRoots.rowDigestColumnOf(manifest.record()));
      } finally {
        leaves.unpersist();
      }
      compare(problems, exclusions, RowDigests.digest(exclusionRows, "record_id", algorithm));
      if (!root.equals(eligible.merkleRoot())) {
        problems.add("eligible/ v" + eligible.deltaVersion() + " record ids give Merkle root " + root
            + ", the manifest records " + eligible.merkleRoot());
      }
      return problems.isEmpty()
          ? ClaimResult.holds(Claim.OUTPUTS, "eligible/ v" + eligible.deltaVersion() + " (" + eligible.rowCount()
              + " rows) and exclusions/ v" + exclusions.deltaVersion() + " (" + exclusions.rowCount()
              + " rows of the run) match their digests; the Merkle root matches")
          : ClaimResult.fails(Claim.OUTPUTS, String.join("; ", problems));
    } catch (Exception e) {
      if (PayloadGone.isCause(e)) {
        return ClaimResult.notChecked(Claim.OUTPUTS, "the payload of eligible/ v" + eligible.deltaVersion()
            + " is no longer retained (purged after the audit window); 'lineage verify --evidence-only' checks the"
            + " run's recorded evidence instead");
      }
      // Named by class only: the messages of failed reads may quote data values.
      return ClaimResult.fails(Claim.OUTPUTS, "the pinned versions cannot be read (" + e.getClass().getSimpleName()
          + "; the driver log has the detail)");
    }
  }

  private static void compare(List<String> problems, OutputSnapshot output, RowDigests.TableDigest actual) {
    if (actual.count() != output.rowCount() || !actual.hex().equals(output.datasetDigest())) {
      problems.add(output.table() + "/ v" + output.deltaVersion() + " holds " + actual.count() + " rows of the run with digest "
          + actual.hex() + "; the manifest records " + output.rowCount() + " rows with digest " + output.datasetDigest());
    }
  }
}
