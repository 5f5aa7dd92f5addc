package dev.eligibility.jobs.cli;

import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.jobs.publication.RunFigures;
import dev.eligibility.jobs.publication.RunHistory;
import dev.eligibility.jobs.review.OrganizationOutcomes;
import dev.eligibility.jobs.review.RunReport;
import dev.eligibility.jobs.run.BuildInfo;
import dev.eligibility.jobs.run.SparkSessions;
import dev.eligibility.jobs.verify.RunVerifier;
import dev.eligibility.jobs.verify.VerificationReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lineage report}: the run report, one self-contained HTML page. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {
        "Write the report of a committed run: one self-contained HTML page (no script, no request at view time)"
            + " to open, send or print.",
        "%nIt shows the run's identity and signature, outcomes by reason, rows by organization, inputs with"
            + " versions and digests, upstream warnings, negative claims, outputs and the run's link in the hash"
            + " chain; with --root, the history of the output root (eligible share and each reason over the runs);"
            + " with --verify, every claim checked against the pinned data first."})
final class ReportCommand implements Callable<Integer> {

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Mixin
  SparkVerbosity verbosity;

  @Option(names = "--manifest", paramLabel = "FILE",
      description = "The run's manifest (manifests/<run_id>.json). Without it, the run committed last under --root.")
  Path manifest;

  @Option(names = "--root", paramLabel = "URI", description = "The run's output root: adds its history to the page.")
  String root;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write <run_id>.html into.")
  Path out;

  @Option(names = "--verify", description = "Check every claim against the data first and show the outcome (as lineage verify --historical --allow-unsigned).")
  boolean verify;

  @Option(names = "--last", paramLabel = "N", defaultValue = "90", description = "Runs of the history to show at most (default: ${DEFAULT-VALUE}).")
  int last;

  @Option(names = "--organizations", paramLabel = "N", defaultValue = "25",
      description = "Organizations to list, those with the most rows first (default: ${DEFAULT-VALUE}).")
  int organizations;

  @Option(names = "--lineage-conf", paramLabel = "FILE", description = "Trusted keys (default: conf/lineage.yaml).")
  Path lineageConf;

  @Override
  public Integer call() {
    if (manifest == null && root == null) {
      throw Errors.badOption("--manifest", "(none)", "a manifest, or --root to report on the run committed last there");
    }
    if (verify && manifest == null) {
      throw Errors.badOption("--verify", "without --manifest", "the manifest file to verify");
    }
    PrintWriter err = command.commandLine().getErr();
    SparkSession spark = verbosity.apply(SparkSessions.getOrCreate("lineage report"));
    List<RunHistory.Run> history = root == null ? List.of() : HistoryCommand.read(spark, root, last, lineageConf);
    ManifestFile run = manifest != null ? ManifestFile.open(manifest, lineageConf, err) : head(history);
    Optional<VerificationReport> verification = Optional.empty();
    if (verify) {
      RunVerifier verifier = new RunVerifier(spark, LineageConfig.load(lineageConf).trustedKeys(),
          new RunVerifier.Options(true, true), new ConsoleProgress(err));
      verification = Optional.of(verifier.verify(bytes(manifest), manifest));
    }
    OrganizationOutcomes.Largest largest = OrganizationOutcomes.of(spark, run.record(), run.digest()).largest(organizations);
    RunReport report = new RunReport(run.location(), run.digest(), run.signed(), run.record(), verification,
        largest, history.stream().map(RunFigures::of).toList(), Instant.now(), BuildInfo.codeVersion());
    Path page = out.resolve(run.record().run().runId() + ".html");
    try {
      Files.createDirectories(out);
      Files.writeString(page, report.html(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw Errors.infrastructure("Writing " + page, e);
    }
    command.commandLine().getOut().println("Report of run " + run.record().run().runId() + " written to " + page);
    command.commandLine().getOut().flush();
    return 0;
  }

  /** The run committed last under {@code --root}, as its history read it. */
  private ManifestFile head(List<RunHistory.Run> history) {
    if (history.isEmpty()) {
      throw Errors.specConflict(root, "no run has committed under it yet");
    }
    RunHistory.Run last = history.get(0);
    return new ManifestFile(new OutputLayout(root).manifest(last.runId()).toString(), last.manifestDigest(),
        last.record(), last.signature() == RunHistory.Signature.SIGNED);
  }

  private static byte[] bytes(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw Errors.specUnreadable(file.toString(), "the manifest cannot be read");
    }
  }
}
