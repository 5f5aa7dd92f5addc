package dev.eligibility.jobs.verify;

import dev.eligibility.jobs.publication.RunRecordStore;
import dev.eligibility.jobs.publication.RunRegistry;
import dev.eligibility.lineage.verify.ChainLink;
import dev.eligibility.lineage.verify.Claim;
import dev.eligibility.lineage.verify.ClaimResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.PublicKey;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * {@link Claim#CHAIN}: the previous-manifest link names the manifest committed before it. The
 * registry gives the order of the output root's runs; {@link ChainLink} checks the link itself.
 * A manifest that names no predecessor must be the first committed run of its root.
 */
final class ChainClaim {

  private ChainClaim() {}

  static ClaimResult check(VerifiedManifest manifest, List<PublicKey> trustedKeys, boolean allowUnsigned) {
    Optional<RunRegistry.Entry> self = manifest.registry().withManifest(manifest.digest());
    if (self.isEmpty()) {
      return ClaimResult.notChecked(Claim.CHAIN, "the manifest is not in the run registry, so its place in the chain is unknown");
    }
    String previous = manifest.record().previousManifestDigest();
    Optional<ClaimResult> disagreement = ChainLink.disagreement(previous, self.get().previousManifestDigest());
    if (disagreement.isPresent()) {
      return disagreement.get();
    }
    if (previous == null) {
      return firstOfRoot(manifest, self.get());
    }
    Optional<RunRegistry.Entry> before = manifest.registry().withManifest(previous);
    if (before.isEmpty()) {
      return ClaimResult.fails(Claim.CHAIN, "no run under the output root has the previous manifest " + previous);
    }
    if (!before.get().registeredAt().isBefore(self.get().registeredAt())) {
      return ClaimResult.fails(Claim.CHAIN, "the previous manifest (run " + before.get().runId()
          + ") was registered after this one");
    }
    Optional<byte[]> previousBytes;
    try {
      previousBytes = manifest.store().manifestBytes(before.get().runId(), previous);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ChainLink.check(before.get().runId(), previous, previousBytes, trustedKeys, allowUnsigned);
  }

  private static ClaimResult firstOfRoot(VerifiedManifest manifest, RunRegistry.Entry self) {
    Iterator<RunRegistry.Entry> earlier = manifest.registry().registeredBefore(self.registeredAt());
    while (earlier.hasNext()) {
      RunRegistry.Entry entry = earlier.next();
      if (manifest.stateOf(entry.runId(), entry.manifestDigest()) != RunRecordStore.State.NOT_COMMITTED) {
        return ClaimResult.fails(Claim.CHAIN, "the manifest claims to be the first of its output root, but run "
            + entry.runId() + " (manifest " + entry.manifestDigest() + ") committed before it");
      }
    }
    return ClaimResult.holds(Claim.CHAIN, "the first committed run of its output root");
  }
}
