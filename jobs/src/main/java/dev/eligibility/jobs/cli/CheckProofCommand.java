package dev.eligibility.jobs.cli;

import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.lineage.MembershipProof;
import dev.eligibility.lineage.OrganizationReceipt;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.RunManifest;
import dev.eligibility.lineage.RunRecordCodec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lineage check-proof}: checks a membership proof with no access to any data. */
@Command(name = "check-proof", mixinStandardHelpOptions = true,
    description = {
        "Check a proof from 'lineage prove', or every proof of a receipt from 'lineage receipt' (after its"
            + " signature), against a Merkle root and tree size.",
        "%nThe root and size are taken from a run record (--manifest) or given directly (--root"
            + " and --size). Reads no data and starts no Spark. Exit 0 when the proof holds, 1 when"
            + " it does not."})
final class CheckProofCommand implements Callable<Integer> {

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Option(names = "--proof", required = true, paramLabel = "FILE", description = "The proof JSON, or a receipt.")
  Path proofFile;

  @Option(names = "--lineage-conf", paramLabel = "FILE", description = "Trusted keys (default: conf/lineage.yaml).")
  Path lineageConf;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Anchor anchor;

  static final class Anchor {
    @Option(names = "--manifest", paramLabel = "FILE", description = "Take root and size from this run record.")
    Path manifest;

    @ArgGroup(exclusive = false)
    Direct direct;
  }

  static final class Direct {
    @Option(names = "--root", required = true, paramLabel = "HEX", description = "The Merkle root.")
    String root;

    @Option(names = "--size", required = true, paramLabel = "N", description = "The tree size (eligible rows).")
    long size;
  }

  @Override
  public Integer call() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(proofFile);
    } catch (IOException e) {
      throw Errors.specUnreadable(proofFile.toString(), "the proof cannot be read");
    }
    Anchored anchored = anchored();
    PrintWriter out = command.commandLine().getOut();
    List<MembershipProof> proofs;
    try {
      proofs = List.of(RunRecordCodec.proofFromJson(bytes));
    } catch (IOException notAProof) {
      proofs = receiptProofs(bytes, anchored, out);
      if (proofs == null) {
        out.flush();
        return 1;
      }
    }
    boolean allHold = true;
    for (MembershipProof proof : proofs) {
      String failure = proof.failureAgainst(anchored.root(), anchored.size(),
          anchored.leavesBindRowDigests().orElseGet(() -> proof.leaves().stream().anyMatch(l -> l.rowDigest() != null)));
      if (failure != null) {
        out.println("INVALID: " + failure);
        allHold = false;
      } else {
        out.printf("VALID: record '%s' is %s the eligible set (root %s, %d rows)%n", proof.recordId(),
            proof.included() ? "IN" : "NOT IN", anchored.root(), anchored.size());
      }
    }
    out.flush();
    return allHold ? 0 : 1;
  }

  /**
   * The Merkle root and tree size proofs are checked against, the manifest's digest if one was
   * given, and whether the tree's leaves bind row digests, which a manifest says by its format (a
   * root given directly does not: each proof is then checked as the kind of leaves it carries).
   */
  private record Anchored(String root, long size, String manifestDigest, Optional<Boolean> leavesBindRowDigests) {}

  private Anchored anchored() {
    if (anchor.manifest == null) {
      return new Anchored(anchor.direct.root, anchor.direct.size, null, Optional.empty());
    }
    ManifestFile manifest = ManifestFile.open(anchor.manifest, lineageConf, command.commandLine().getErr());
    OutputSnapshot eligible = ManifestFile.eligible(manifest.record());
    return new Anchored(eligible.merkleRoot(), eligible.rowCount(), manifest.digest(),
        Optional.of(manifest.record().leavesBindRowDigests()));
  }

  /**
   * The proofs of an organization's receipt, once its signature (if signed) verifies with a
   * trusted key and it speaks of the anchoring manifest and root; null, with the reason printed,
   * when it does not.
   */
  private List<MembershipProof> receiptProofs(byte[] bytes, Anchored anchored, PrintWriter out) {
    OrganizationReceipt.Opened opened;
    try {
      opened = OrganizationReceipt.open(bytes, LineageConfig.load(lineageConf).trustedKeys());
    } catch (RunManifest.ManifestException e) {
      throw Errors.specUnreadable(proofFile.toString(), "neither a membership proof nor a receipt (" + e.getMessage() + ")");
    }
    OrganizationReceipt receipt = opened.receipt();
    if (anchored.manifestDigest() != null && !anchored.manifestDigest().equals(receipt.manifestDigest())) {
      out.println("INVALID: the receipt is about the manifest " + receipt.manifestDigest() + ", not " + anchor.manifest
          + " (" + anchored.manifestDigest() + ")");
      return null;
    }
    if (!anchored.root().equals(receipt.merkleRoot()) || anchored.size() != receipt.eligibleSetSize()) {
      out.println("INVALID: the receipt states root " + receipt.merkleRoot() + " of " + receipt.eligibleSetSize()
          + " rows; the anchor has " + anchored.root() + " of " + anchored.size());
      return null;
    }
    out.printf("Receipt of organization %s for run %s: %s%n", receipt.organizationId(), receipt.runId(),
        opened.signed() ? "signed, verifies with a trusted key" : "UNSIGNED: nothing vouches for it");
    return receipt.proofs();
  }
}
