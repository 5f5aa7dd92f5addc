package dev.eligibility.jobs.verify;

import dev.eligibility.jobs.publication.RunEvidence;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.verify.Claim;
import dev.eligibility.lineage.verify.ClaimResult;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@link Claim#OUTPUTS} as {@code --evidence-only} checks it: the run's evidence under
 * {@code evidence/} (record ids and row digests, kept after the payload is purged) gives the
 * recorded eligible row count, dataset digest and Merkle root.
 */
final class EvidenceClaim {

  private EvidenceClaim() {}

  static ClaimResult check(VerifiedManifest manifest) {
    OutputSnapshot eligible = manifest.eligible();
    Optional<Dataset<Row>> evidence = new RunEvidence(manifest.spark(), manifest.layout())
        .of(manifest.record(), manifest.digest());
    if (evidence.isEmpty()) {
      return ClaimResult.fails(Claim.OUTPUTS, "no evidence of the run is recorded under " + manifest.layout().evidence()
          + " ('eligibility vacuum' records it before it purges payload)");
    }
    return RunEvidence.mismatch(evidence.get(), manifest.record())
        .map(difference -> ClaimResult.fails(Claim.OUTPUTS, "the run's evidence gives " + difference))
        .orElseGet(() -> ClaimResult.holds(Claim.OUTPUTS, "the run's evidence (" + eligible.rowCount()
            + " record ids and row digests) gives the recorded eligible digest and Merkle root"));
  }
}
