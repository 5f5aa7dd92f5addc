package dev.eligibility.jobs.cli;

import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.lineage.MembershipProof;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.RunRecord;
import dev.eligibility.lineage.RunRecordCodec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lineage check-proof}: checks a membership proof with no access to any data. */
@Command(name = "check-proof", mixinStandardHelpOptions = true,
    description = {
        "Check a proof from 'lineage prove' against a Merkle root and tree size.",
        "%nThe root and size are taken from a run record (--manifest) or given directly (--root"
            + " and --size). Reads no data and starts no Spark. Exit 0 when the proof holds, 1 when"
            + " it does not."})
final class CheckProofCommand implements Callable<Integer> {

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Option(names = "--proof", required = true, paramLabel = "FILE", description = "The proof JSON.")
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
    MembershipProof proof;
    try {
      proof = RunRecordCodec.proofFromJson(Files.readAllBytes(proofFile));
    } catch (IOException e) {
      throw Errors.specUnreadable(proofFile.toString(), "not a membership proof");
    }
    String root;
    long size;
    if (anchor.manifest != null) {
      RunRecord record = ManifestFile.read(anchor.manifest, lineageConf, command.commandLine().getErr());
      OutputSnapshot eligible = ManifestFile.eligible(record);
      root = eligible.merkleRoot();
      size = eligible.rowCount();
    } else {
      root = anchor.direct.root;
      size = anchor.direct.size;
    }
    String failure = proof.failureAgainst(root, size);
    PrintWriter out = command.commandLine().getOut();
    if (failure != null) {
      out.println("INVALID: " + failure);
      out.flush();
      return 1;
    }
    out.printf("VALID: record '%s' is %s the eligible set (root %s, %d rows)%n", proof.recordId(),
        proof.included() ? "IN" : "NOT IN", root, size);
    out.flush();
    return 0;
  }
}
