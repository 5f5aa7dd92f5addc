package dev.eligibility.jobs.cli;

import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.jobs.publication.OutputRootClaim;
import dev.eligibility.jobs.run.SparkSessions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eligibility unlock}: ends the claim on an output root of a run whose driver died. */
@Command(
    name = "unlock",
    mixinStandardHelpOptions = true,
    description = {
        "End the claim a run holds on an output root, for a run whose driver died before it could release "
            + "it (a run that fails releases its claim itself; an abandoned claim also ends when its lease "
            + "does). Names the run, so it can never end a newer run's claim."},
    footerHeading = "%nExample:%n",
    footer = "  jobs/bin/eligibility unlock --root s3a://bucket/base --run-id night-1")
final class UnlockCommand implements Callable<Integer> {

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Mixin
  SparkVerbosity verbosity;

  @Mixin
  OutputRootOption output;

  @Option(names = "--run-id", required = true, paramLabel = "ID", description = "The run whose claim to end.")
  String runId;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    SparkSession spark = verbosity.apply(SparkSessions.getOrCreate("eligibility unlock"));
    OutputRootClaim claim = new OutputRootClaim(spark, new OutputLayout(output.root));
    if (claim.release(runId)) {
      out.printf("Released the claim of run %s on %s.%n", runId, output.root);
      return 0;
    }
    out.printf("Run %s holds no claim on %s; %s%n", runId, output.root, claim.holder()
        .map(h -> "it is held by run " + h.runId() + " since " + h.claimedAt() + ".")
        .orElse("no run holds it."));
    return 1;
  }
}
