package dev.eligibility.jobs.cli;

import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.jobs.run.SparkSessions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lineage impact}: what later consent, file, licence and ZDR events change in committed runs. */
@Command(name = "impact", mixinStandardHelpOptions = true,
    description = {
        "Count the eligible rows of committed runs that would be excluded now.",
        "%nFor every committed run under an output root whose eligible rows are still retained, decides those"
            + " rows again at --as-of (default: now) under the run's own policy and purpose, over its reference"
            + " tables as they are now, and prints how many would be excluded, by reason and organization: an"
            + " opt-out or a revoked opt-in, a deleted training file, an expired licence or a new ZDR agreement"
            + " since the run. Exit code 1 when any run has such rows: a model trained on it used data it may"
            + " no longer use."})
final class ImpactCommand implements Callable<Integer> {

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Mixin
  SparkVerbosity verbosity;

  @Mixin
  OutputRootOption output;

  @Option(names = "--as-of", paramLabel = "TIME",
      description = "The instant to decide at, with its zone (2026-11-25T00:00:00Z); default: now.")
  String asOf;

  @Option(names = "--lineage-conf", paramLabel = "FILE", description = "Trusted keys (default: conf/lineage.yaml).")
  Path lineageConf;

  @Override
  public Integer call() {
    Instant at = at();
    PrintWriter out = command.commandLine().getOut();
    SparkSession spark = verbosity.apply(SparkSessions.getOrCreate("lineage impact"));
    ImpactReport report = new ImpactReport(spark, new OutputLayout(output.root),
        LineageConfig.load(lineageConf).trustedKeys());
    return report.print(at, true, out) > 0 ? 1 : 0;
  }

  private Instant at() {
    if (asOf == null) {
      return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
    try {
      return OffsetDateTime.parse(asOf).toInstant();
    } catch (DateTimeParseException e) {
      throw new picocli.CommandLine.ParameterException(command.commandLine(),
          "Option --as-of has value '" + asOf + "'; expected an ISO-8601 instant with a zone, such as 2026-11-25T00:00:00Z.");
    }
  }
}
