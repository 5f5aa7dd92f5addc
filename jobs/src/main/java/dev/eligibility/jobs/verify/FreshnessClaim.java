package dev.eligibility.jobs.verify;

import dev.eligibility.jobs.input.TableReader;
import dev.eligibility.jobs.publication.RootRecovery;
import dev.eligibility.jobs.publication.RunRegistry;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.verify.Claim;
import dev.eligibility.lineage.verify.ClaimResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link Claim#FRESHNESS}: the tables' latest versions are the ones the manifest pins. A latest
 * version that holds exactly the pinned version's files (what recovery's {@code RESTORE} makes
 * after a run that never committed) counts as the pinned one. A past run holds only by the
 * reviewer's leave ({@code --historical}).
 */
final class FreshnessClaim {

  private FreshnessClaim() {}

  static ClaimResult check(VerifiedManifest manifest, boolean historical) {
    OutputSnapshot eligible = manifest.eligible();
    List<String> newer = new ArrayList<>();
    List<String> restored = new ArrayList<>();
    for (OutputSnapshot output : List.of(eligible, manifest.exclusions())) {
      long latest = TableReader.latestVersion(manifest.spark(), output.path());
      if (latest == output.deltaVersion()) {
        continue;
      }
      if (RootRecovery.sameFiles(manifest.spark(), output.path(), output.deltaVersion(), latest)) {
        restored.add(output.table() + "/ v" + latest + " holds exactly the files of the pinned v" + output.deltaVersion());
      } else {
        newer.add(output.table() + "/ is at v" + latest + ", not the pinned v" + output.deltaVersion());
      }
    }
    if (newer.isEmpty()) {
      return ClaimResult.holds(Claim.FRESHNESS, restored.isEmpty()
          ? "eligible/ v" + eligible.deltaVersion() + " and exclusions/ v" + manifest.exclusions().deltaVersion()
              + " are the tables' latest versions"
          : "the tables' latest versions hold the pinned data (" + String.join("; ", restored)
              + ", restored after a run that never committed)");
    }
    Optional<RunRegistry.Entry> later = manifest.registry().newestWithEligibleAfter(eligible.deltaVersion());
    String by = later.map(e -> "superseded by run " + e.runId() + " (eligible v" + e.eligibleVersion() + ")")
        .orElse("the newer versions were written by no registered run");
    String detail = String.join("; ", newer) + ": " + by;
    return historical
        ? ClaimResult.noted(Claim.FRESHNESS, detail + "; checked as a past run (--historical)")
        : ClaimResult.fails(Claim.FRESHNESS, detail + ". An old manifest does not vouch for the current tables"
            + " (--historical verifies a past run at its pinned versions)");
  }
}
