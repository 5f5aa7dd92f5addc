package dev.eligibility.jobs.cli;

import dev.eligibility.jobs.publication.AuditWindow;
import dev.eligibility.jobs.publication.ClaimKeeper;
import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.jobs.publication.PayloadPurge;
import dev.eligibility.jobs.publication.RunRecordStore;
import dev.eligibility.jobs.run.SparkSessions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eligibility vacuum}: purge payload the audit window no longer covers, keeping the evidence. */
@Command(
    name = "vacuum",
    mixinStandardHelpOptions = true,
    description = {
        "Purge payload older than the audit window; keep every run's evidence.",
        "%nFirst records, for every committed run whose eligible rows can still be read, its evidence under"
            + " evidence/ (record ids and row digests, no payload, checked against its manifest), then removes"
            + " from eligible/ and exclusions/ every data file that no current version needs and that was"
            + " replaced longer than the audit window ago (Delta VACUUM). Proofs, 'lineage runs' and"
            + " 'lineage verify --evidence-only' keep working for runs whose payload is gone. The window is"
            + " spark.eligibility.auditWindowDays (default 30); --retain-days overrides it. It claims the root"
            + " like a run (exit code 6 if a live run holds it)."},
    footerHeading = "%nExample:%n",
    footer = "  jobs/bin/eligibility vacuum --root s3a://bucket/training/base")
final class VacuumCommand implements Callable<Integer> {

  static final String CLAIMANT = "eligibility-vacuum";

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Mixin
  SparkVerbosity verbosity;

  @Mixin
  OutputRootOption output;

  @Option(names = "--retain-days", paramLabel = "DAYS",
      description = "Keep payload replaced within this many days (default: the audit window, 30). 0 purges"
          + " everything no current version needs, for a deletion that cannot wait.")
  Long retainDays;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    SparkSession spark = verbosity.apply(SparkSessions.getOrCreate("eligibility vacuum"));
    if (retainDays != null && retainDays < 0) {
      throw new picocli.CommandLine.ParameterException(command.commandLine(),
          "Option --retain-days has value '" + retainDays + "'; expected a whole number of days, 0 or more.");
    }
    AuditWindow window = retainDays != null ? new AuditWindow(retainDays) : AuditWindow.of(spark.conf());
    OutputLayout layout = new OutputLayout(output.root);
    try (ClaimKeeper keeper = ClaimKeeper.claimNow(spark, layout, CLAIMANT, note -> {
      out.println(note);
      out.flush();
    })) {
      RunRecordStore records = new RunRecordStore(layout, spark.sparkContext().hadoopConfiguration());
      out.println("Recording evidence of the runs under " + output.root + ":");
      out.flush();
      PayloadPurge purge = new PayloadPurge(spark, layout, records);
      purge.recordEvidence(line -> {
        out.println("  " + line);
        out.flush();
      });
      keeper.ensureHeld();
      purge.vacuum(window).forEach(line -> out.println("Vacuumed " + line + "."));
      out.flush();
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
