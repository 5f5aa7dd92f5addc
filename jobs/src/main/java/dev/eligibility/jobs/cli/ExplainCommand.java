package dev.eligibility.jobs.cli;

import dev.eligibility.jobs.explain.DecisionTrace;
import dev.eligibility.jobs.policy.PolicyParameters;
import dev.eligibility.jobs.run.EligibilityRun;
import dev.eligibility.jobs.run.SparkSessions;
import dev.eligibility.jobs.spec.RunSpec;
import dev.eligibility.jobs.spec.RunSpecParser;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eligibility explain}: one record's decision trace, without writing anything. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = {
        "Explain one record's decision: each rule in policy order and whether it applies, the",
        "provenance row (API request, training file or licence), the consent events of the",
        "request's organization and the states they produce at submission and at as_of.",
        "Reads the inputs the spec names; writes nothing. Content is never printed.",
        "Give the spec an as_of to explain a past run exactly; without one, as_of is now."},
    footerHeading = "%nExample:%n",
    footer = "  jobs/bin/eligibility explain --spec data-samples/specs/base-model.yaml --record api-007")
final class ExplainCommand implements Callable<Integer> {

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Mixin
  SparkVerbosity verbosity;

  @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The run spec (YAML).")
  Path specFile;

  @Option(names = "--record", required = true, paramLabel = "ID", description = "The record_id to explain.")
  String recordId;

  @Override
  public Integer call() {
    RunSpec spec = new RunSpecParser(Clock.systemUTC()).parse(specFile);
    PolicyParameters policy = EligibilityRun.policyOf(spec);
    SparkSession spark = verbosity.apply(SparkSessions.getOrCreate("eligibility explain " + spec.runId()));
    EligibilityRun run = new EligibilityRun(spark, Clock.systemUTC(), dev.eligibility.jobs.run.Progress.SILENT);
    var context = EligibilityRun.contextOf(spec, policy, Instant.now().truncatedTo(ChronoUnit.MICROS));
    new DecisionTrace(context, run.readInputs(spec)).print(recordId, command.commandLine().getOut());
    return 0;
  }
}
