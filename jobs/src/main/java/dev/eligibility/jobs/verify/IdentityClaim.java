package dev.eligibility.jobs.verify;

import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.lineage.verify.Claim;
import dev.eligibility.lineage.verify.ClaimResult;
import java.nio.file.Path;

/**
 * {@link Claim#IDENTITY}: the manifest is the one committed for its run id under its output root.
 * A file in a {@code manifests/} folder must be named for the run it holds; the registry must hold
 * the run with this manifest digest; the store must hold it as committed (or, for a past run
 * verified with {@code --historical}, as an archived earlier commit).
 */
final class IdentityClaim {

  private IdentityClaim() {}

  static ClaimResult check(VerifiedManifest manifest, boolean historical) {
    String runId = manifest.runId();
    Path file = manifest.file();
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null && parent.getFileName() != null
        && parent.getFileName().toString().equals(OutputLayout.MANIFESTS)
        && !file.getFileName().toString().equals(runId + ".json")) {
      return ClaimResult.fails(Claim.IDENTITY, "the file " + file.getFileName() + " holds the manifest of run " + runId
          + ": a manifest copied from another run");
    }
    if (manifest.registry().withManifest(manifest.digest()).filter(e -> e.runId().equals(runId)).isEmpty()) {
      return ClaimResult.fails(Claim.IDENTITY, "the run registry under " + manifest.layout().root()
          + " has no run " + runId + " with manifest digest " + manifest.digest());
    }
    return switch (manifest.stateOf(runId, manifest.digest())) {
      case COMMITTED -> ClaimResult.holds(Claim.IDENTITY, "it is the committed manifest of run " + runId
          + " (" + manifest.store().location(runId) + ")");
      case SUPERSEDED -> historical
          ? ClaimResult.noted(Claim.IDENTITY, "run " + runId + " was re-run since; this manifest is its archived earlier commit")
          : ClaimResult.fails(Claim.IDENTITY, "run " + runId + " was re-run since (--replace): this manifest was superseded"
              + " (--historical verifies a past run)");
      case NOT_COMMITTED -> ClaimResult.fails(Claim.IDENTITY, "no manifest with this digest was committed for run " + runId
          + " under its output root; " + manifest.store().location(runId) + " holds another");
    };
  }
}
