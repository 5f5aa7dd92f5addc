package dev.eligibility.jobs.cli;

import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.run.SparkSessions;
import dev.eligibility.lineage.verify.ClaimResult;
import dev.eligibility.jobs.verify.RunVerifier;
import dev.eligibility.jobs.verify.VerificationReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lineage verify}: every claim of a manifest, checked against the data. */
@Command(name = "verify", mixinStandardHelpOptions = true,
    description = {
        "Check every claim of a run's manifest against the data it names.",
        "%nThe signature (against the trusted keys in the lineage configuration, never the key"
            + " id), that it is the run's committed manifest, its hash-chain link, that the tables"
            + " are still at the versions it pins, that the outputs and inputs hash as recorded,"
            + " that the policy file is unchanged, that re-evaluating the recorded policy over the"
            + " pinned inputs gives exactly the recorded eligible set, and that every negative claim"
            + " holds. Exit 0 only if every claim holds."})
final class VerifyCommand implements Callable<Integer> {

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Mixin
  SparkVerbosity verbosity;

  @Option(names = "--manifest", required = true, paramLabel = "FILE", description = "The manifest (manifests/<run_id>.json).")
  Path manifest;

  @Option(names = "--lineage-conf", paramLabel = "FILE", description = "Trusted keys (default: conf/lineage.yaml).")
  Path lineageConf;

  @Option(names = "--historical",
      description = "Verify a past run: accept newer table versions and a re-run of its run id, checking the pinned versions.")
  boolean historical;

  @Option(names = "--allow-unsigned", description = "Check an unsigned manifest (--unsigned run) instead of failing at once.")
  boolean allowUnsigned;

  @Option(names = "--evidence-only",
      description = "Check what outlives a run's payload: the signature, identity and chain, and the run's"
          + " evidence (record ids and row digests under evidence/) against the recorded eligible digest and"
          + " Merkle root. The claims about tables and inputs are reported as not checked, by leave.")
  boolean evidenceOnly;

  @Override
  public Integer call() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(manifest);
    } catch (IOException e) {
      throw Errors.specUnreadable(manifest.toString(), "the manifest cannot be read");
    }
    var trusted = LineageConfig.load(lineageConf).trustedKeys();
    RunVerifier verifier = new RunVerifier(verbosity.apply(SparkSessions.getOrCreate("lineage verify " + manifest.getFileName())),
        trusted, new RunVerifier.Options(historical, allowUnsigned, evidenceOnly), new ConsoleProgress(command.commandLine().getErr()));
    VerificationReport report = verifier.verify(bytes, manifest);
    print(report, command.commandLine().getOut());
    return report.holds() ? 0 : 1;
  }

  static void print(VerificationReport report, PrintWriter out) {
    out.println("Manifest " + report.runId().map(id -> "of run " + id + " ").orElse("") + "(SHA-256 "
        + report.manifestDigest() + ")");
    for (ClaimResult result : report.results()) {
      out.printf("  %-11s %-15s %s%n", result.outcome(), result.claim().label(), result.detail());
    }
    out.println(report.holds()
        ? "VERIFIED: every claim holds."
        : "NOT VERIFIED: " + report.failures().stream().map(r -> r.claim().label()).collect(Collectors.joining(", "))
            + " do" + (report.failures().size() == 1 ? "es" : "") + " not hold.");
    out.flush();
  }
}
