package dev.eligibility.jobs.cli;

import dev.eligibility.jobs.publication.ClaimKeeper;
import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.jobs.publication.RootRecovery;
import dev.eligibility.jobs.publication.RunRecordStore;
import dev.eligibility.jobs.run.SparkSessions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eligibility recover}: brings an output root back to its last committed run. */
@Command(
    name = "recover",
    mixinStandardHelpOptions = true,
    description = {
        "Bring an output root back to its last committed run.",
        "%nUndoes the table versions of a run that died between writing its tables and writing its manifest"
            + " (Delta RESTORE of eligible/ and exclusions/ to the versions of the last committed run) and drops"
            + " its registry rows. Every run does this itself before it writes; recover repairs a root now. It"
            + " claims the root like a run, so it waits out a dead run's claim and stops if a live run holds"
            + " the root (exit code 6)."},
    footerHeading = "%nExample:%n",
    footer = "  jobs/bin/eligibility recover --root s3a://bucket/training/base")
final class RecoverCommand implements Callable<Integer> {

  /** The name a recovery holds the root under, as a run holds it under its run id. */
  static final String CLAIMANT = "eligibility-recover";

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Mixin
  SparkVerbosity verbosity;

  @Mixin
  OutputRootOption output;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    SparkSession spark = verbosity.apply(SparkSessions.getOrCreate("eligibility recover"));
    OutputLayout layout = new OutputLayout(output.root);
    try (ClaimKeeper keeper = ClaimKeeper.claimNow(spark, layout, CLAIMANT, note -> {
      out.println(note);
      out.flush();
    })) {
      RunRecordStore records = new RunRecordStore(layout, spark.sparkContext().hadoopConfiguration());
      RootRecovery recovery = new RootRecovery(spark, layout, records);
      List<String> done = recovery.recover();
      if (done.isEmpty()) {
        out.println(output.root + " is at its last committed state; nothing to recover.");
      } else {
        done.forEach(line -> out.println("Recovered " + line + "."));
      }
      out.println(recovery.lastCommitted()
          .map(c -> "Last committed run: " + c.record().run().runId() + " (lineage resolve --root " + output.root + ").")
          .orElse("No run has committed under " + output.root + "."));
      out.flush();
      return 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
