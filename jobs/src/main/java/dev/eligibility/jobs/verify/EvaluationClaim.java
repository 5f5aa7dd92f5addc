package dev.eligibility.jobs.verify;

import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.verify.Claim;
import dev.eligibility.lineage.verify.ClaimResult;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link Claim#EVALUATION}: the recorded policy over the pinned inputs gives exactly the recorded
 * outputs: the same eligible rows (digest and Merkle root), the same exclusion rows and the same
 * counts by reason and source kind.
 */
final class EvaluationClaim {

  private EvaluationClaim() {}

  static ClaimResult check(VerifiedManifest manifest, Reevaluation fresh) {
    OutputSnapshot eligible = manifest.eligible();
    List<String> problems = new ArrayList<>();
    fresh.difference().ifPresent(difference -> problems.add("the policy gives " + fresh.counts().eligible()
        + " eligible rows (digest " + fresh.eligibleDigest() + "); the manifest records " + eligible.rowCount()
        + " (digest " + eligible.datasetDigest() + "): eligible/ v" + eligible.deltaVersion() + " holds "
        + difference.storedButExcluded() + " rows the policy excludes and lacks " + difference.allowedButMissing()
        + " rows it allows"));
    if (!fresh.exclusionsDigest().equals(manifest.exclusions().datasetDigest())) {
      problems.add("the policy gives exclusion rows with digest " + fresh.exclusionsDigest() + "; the manifest records "
          + manifest.exclusions().datasetDigest());
    }
    if (!fresh.counts().equals(manifest.record().counts())) {
      problems.add("the counts by reason and source kind differ from the recorded ones");
    }
    return problems.isEmpty()
        ? ClaimResult.holds(Claim.EVALUATION, "re-evaluated " + fresh.counts().candidates()
            + " candidates: the same " + fresh.counts().eligible() + " eligible rows, exclusions and counts")
        : ClaimResult.fails(Claim.EVALUATION, String.join("; ", problems));
  }
}
