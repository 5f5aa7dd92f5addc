package dev.eligibility.jobs.cli;

import dev.eligibility.jobs.run.EligibilityRun;
import dev.eligibility.jobs.run.RunResult;
import dev.eligibility.jobs.run.SparkSessions;
import dev.eligibility.jobs.spec.RunSpec;
import dev.eligibility.jobs.spec.RunSpecParser;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eligibility run}: one run, from spec to committed run record. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
        "Run the filter: read the inputs the spec names, decide every corpus row, write",
        "eligible/ and exclusions/ (Delta) under output.root, then commit by writing",
        "manifests/<run_id>.json. Without a Spark master (plain java), Spark runs embedded",
        "on every local core; under spark-submit, the submit's master is used."},
    footerHeading = "%nExample:%n",
    footer = "  jobs/bin/eligibility run --spec data-samples/specs/base-model.yaml")
final class RunCommand implements Callable<Integer> {

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The run spec (YAML).")
  Path specFile;

  @Option(names = "--replace",
      description = "Re-run a run id that is already committed: replace its outputs and run record.")
  boolean replace;

  @Option(names = "--verbose", description = "Show Spark's own INFO logging.")
  boolean verbose;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    RunSpec spec = new RunSpecParser(Clock.systemUTC()).parse(specFile);
    out.printf("Run %s (%s) from %s%n", spec.runId(), spec.purpose(), specFile);
    out.flush();
    SparkSession spark = SparkSessions.getOrCreate("eligibility " + spec.runId());
    if (verbose) {
      spark.sparkContext().setLogLevel("INFO");
    }
    RunResult result = new EligibilityRun(spark, Clock.systemUTC(), new ConsoleProgress(out)).run(spec, replace);
    RunSummary.print(result, out);
    return 0;
  }
}
