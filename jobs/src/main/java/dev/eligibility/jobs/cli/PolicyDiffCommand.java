package dev.eligibility.jobs.cli;

import dev.eligibility.jobs.drift.DriftLimits;
import dev.eligibility.jobs.policy.PolicyFile;
import dev.eligibility.jobs.run.EligibilityRun;
import dev.eligibility.jobs.run.SparkSessions;
import dev.eligibility.jobs.spec.RunSpec;
import dev.eligibility.jobs.spec.RunSpecParser;
import dev.eligibility.jobs.trial.DryRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eligibility policy-diff}: what a candidate policy file would change, before it ships. */
@Command(name = "policy-diff", mixinStandardHelpOptions = true,
    description = {
        "Decide the spec's inputs under its policy and under a candidate policy file, and show the rows whose"
            + " outcome would change: counts by (current outcome -> candidate outcome) and by organization, and"
            + " with --ids each row's record id (never its content).",
        "%nThe inputs are read once, at the versions the spec pins (give the spec an as_of and Delta versions to"
            + " compare against a past run exactly). Nothing is written and no output root is claimed."},
    footerHeading = "%nExample:%n",
    footer = {"  jobs/bin/eligibility policy-diff --policy my-policy.yaml \\",
        "      --spec data-samples/specs/base-model.yaml"})
final class PolicyDiffCommand implements Callable<Integer> {

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Mixin
  SparkVerbosity verbosity;

  @Mixin
  FormatOption format;

  @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The run spec (YAML).")
  Path specFile;

  @Option(names = "--policy", required = true, paramLabel = "FILE", description = "The candidate policy file (YAML).")
  Path candidate;

  @Option(names = "--ids", description = "Also list each row whose outcome would change.")
  boolean ids;

  @Option(names = "--organizations", paramLabel = "N", defaultValue = "25",
      description = "Organizations to list, those with most rows entering or leaving first (default: ${DEFAULT-VALUE}).")
  int organizations;

  @Override
  public Integer call() {
    RunSpec spec = new RunSpecParser(Clock.systemUTC()).parse(specFile);
    var policy = PolicyFile.load(candidate);
    PrintWriter out = command.commandLine().getOut();
    SparkSession spark = verbosity.apply(SparkSessions.getOrCreate("eligibility policy-diff " + spec.runId()));
    DryRun trials = new DryRun(spark, Clock.systemUTC(), format.json() ? dev.eligibility.jobs.run.Progress.SILENT
        : new ConsoleProgress(out), DriftLimits.bundled());
    trials.tryPolicy(spec, policy, diff -> {
      if (!format.json()) {
        out.println();
      }
      return DiffCommand.render(diff, organizations, ids, format.json(),
          "Under policy " + EligibilityRun.policyOf(spec).policyId() + " and candidate " + policy.policyId()
              + " (as_of of the spec):", out);
    });
    out.flush();
    return 0;
  }
}
