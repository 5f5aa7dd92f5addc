package dev.eligibility.jobs.cli;

import dev.eligibility.jobs.drift.DriftLimits;
import dev.eligibility.jobs.errors.EligibilityException;
import dev.eligibility.jobs.errors.ErrorKind;
import dev.eligibility.jobs.openlineage.OpenLineageSettings;
import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.jobs.publication.RunOutcomes;
import dev.eligibility.jobs.run.EligibilityRun;
import dev.eligibility.jobs.run.RunResult;
import dev.eligibility.jobs.run.SparkSessions;
import dev.eligibility.jobs.spec.RunSpec;
import dev.eligibility.jobs.spec.RunSpecParser;
import dev.eligibility.jobs.spec.ScheduledNight;
import dev.eligibility.jobs.trial.DryRun;
import dev.eligibility.lineage.RunManifest;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eligibility run}: one run, from spec to committed run record. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
        "Run the filter: read the inputs the spec names, decide every corpus row, write eligible/ and "
            + "exclusions/ (Delta) under output.root, then commit by writing manifests/<run_id>.json. Without a "
            + "Spark master (plain java), Spark runs embedded on every local core; under spark-submit, the "
            + "submit's master is used."},
    footerHeading = "%nExample:%n",
    footer = "  jobs/bin/eligibility run --unsigned --spec data-samples/specs/base-model.yaml")
final class RunCommand implements Callable<Integer> {

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Option(names = "--spec", required = true, paramLabel = "FILE", description = "The run spec (YAML).")
  Path specFile;

  @Option(names = "--replace",
      description = "Re-run a run id that is already committed: replace its outputs and run record.")
  boolean replace;

  @Mixin
  SparkVerbosity verbosity;

  @Option(names = "--unsigned",
      description = "Write the manifest unsigned (it says so, and every reader reports it) instead of refusing"
          + " a run without a signing key.")
  boolean unsigned;

  @Option(names = ScheduledNight.OPTION, paramLabel = "TIME",
      description = {
          "Run the night scheduled for TIME: run id = the spec's run_id plus TIME's date (UTC), as_of = "
              + "TIME, so a re-run of a night decides exactly as its first try. TIME is an instant "
              + "(2026-11-25T02:00:00Z) or daily@HH:MM, the latest HH:MM UTC at or before now."})
  String scheduledFor;

  @Option(names = "--full",
      description = {
          "Decide every corpus row, even where the run could start from the decisions of the run "
              + "committed last under output.root and decide again only what changed (the default when that run "
              + "used the same policy and inputs, all Delta with a change data feed). Its outputs are the same "
              + "either way; use it to rebuild the kept decisions, or to measure."})
  boolean full;

  @Option(names = "--no-impact",
      description = {
          "With --scheduled-for, skip the revocation impact the nightly summary ends with (what lineage "
              + "impact prints for this night's as_of: eligible rows of earlier runs still retained that would "
              + "be excluded now)."})
  boolean noImpact;

  @Option(names = "--lineage-conf", paramLabel = "FILE",
      description = "Where the signing key comes from (default: conf/lineage.yaml).")
  Path lineageConf;

  @Option(names = "--openlineage-conf", paramLabel = "FILE",
      description = "The OpenLineage client configuration (openlineage.yml) for this run's events; default: as every"
          + " OpenLineage client finds it (OPENLINEAGE_CONFIG, ./openlineage.yml, OPENLINEAGE__ variables), else no events.")
  Path openLineageConf;

  @Option(names = "--accept-drift",
      description = "Commit even when the run's figures move past the drift limits (as accept_drift: true in the spec);"
          + " the manifest records the findings.")
  boolean acceptDrift;

  @Option(names = "--drift-conf", paramLabel = "FILE",
      description = "Drift limits to apply (default: conf/drift.yaml as bundled in the jar).")
  Path driftConf;

  @Option(names = "--outcome-file", paramLabel = "URI",
      description = "Also write the attempt's outcome (committed or failed, exit code, error kind, whether a retry can"
          + " help, the message) as JSON to URI (a path or s3a://...), for schedulers that cannot read the driver's exit"
          + " code in cluster deploy mode.")
  String outcomeFile;

  @Option(names = "--dry-run",
      description = "Decide every row and print the summary a run would print, without claiming the output root,"
          + " writing anything or sending lineage events. Needs no signing key.")
  boolean dryRun;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    RunSpec parsed = new RunSpecParser(Clock.systemUTC()).parse(specFile);
    RunSpec scheduled = scheduledFor == null ? parsed
        : ScheduledNight.parse(scheduledFor, Clock.systemUTC()).applyTo(parsed);
    RunSpec spec = acceptDrift ? scheduled.acceptingDrift() : scheduled;
    DriftLimits limits = driftConf == null ? DriftLimits.bundled() : DriftLimits.load(driftConf);
    if (dryRun) {
      SparkSession spark = verbosity.apply(SparkSessions.getOrCreate("eligibility dry run " + spec.runId()));
      RunSummary.print(new DryRun(spark, Clock.systemUTC(), new ConsoleProgress(out), limits).decide(spec), out);
      return 0;
    }
    LineageConfig lineage = LineageConfig.load(lineageConf);
    Optional<RunManifest.Signer> signer = lineage.signerOrRefuse(unsigned, System.getenv());
    out.printf("Run %s (%s) from %s; manifest %s%n", spec.runId(), spec.purpose(), specFile,
        signer.map(s -> "signed with key " + s.keyId().substring(0, 16) + "...").orElse("UNSIGNED (--unsigned)"));
    out.flush();
    OpenLineageSettings openLineage = OpenLineageSettings.of(Optional.ofNullable(openLineageConf), System.getenv());
    SparkSession spark = verbosity.apply(SparkSessions.getOrCreate("eligibility " + spec.runId()));
    Optional<RunOutcomes> outcomes = Optional.ofNullable(outcomeFile)
        .map(uri -> new RunOutcomes(uri, spark.sparkContext().hadoopConfiguration()));
    Instant started = Instant.now();
    RunResult result;
    try {
      result = new EligibilityRun(spark, Clock.systemUTC(), new ConsoleProgress(out),
          openLineage.runEvents(scheduledFor == null ? Optional.empty() : spec.asOf()))
          .withDriftLimits(limits).run(spec, replace, signer, full);
    } catch (EligibilityException e) {
      outcomes.ifPresent(file -> file.record(failed(spec, started, e.kind(), e.getMessage())));
      throw e;
    } catch (RuntimeException | Error e) {
      // Named by class only, as on the console: other failures' messages may quote data.
      outcomes.ifPresent(file -> file.record(failed(spec, started, ErrorKind.INFRASTRUCTURE, e.getClass().getName())));
      throw e;
    }
    outcomes.ifPresent(file -> file.record(new RunOutcomes.Outcome(spec.runId(), "COMMITTED", 0, null, false, started,
        Instant.now(), "committed: " + result.manifest())));
    RunSummary.print(result, out);
    if (scheduledFor != null && !noImpact) {
      // The nightly summary ends with what tonight's as_of changes in earlier runs still retained.
      out.println();
      try {
        new ImpactReport(spark, new OutputLayout(spec.outputRoot()), lineage.trustedKeys())
            .print(result.record().run().asOf(), false, out);
      } catch (RuntimeException e) {
        // The run has committed: a report that cannot be made must not turn it into a failure.
        out.println("Revocation impact not computed (" + e.getClass().getSimpleName()
            + "); run lineage impact --root " + spec.outputRoot() + " --as-of " + result.record().run().asOf());
      }
    }
    return 0;
  }

  private static RunOutcomes.Outcome failed(RunSpec spec, Instant started, ErrorKind kind, String message) {
    boolean retry = kind == ErrorKind.INFRASTRUCTURE || kind == ErrorKind.BUSY;
    return new RunOutcomes.Outcome(spec.runId(), "FAILED", kind.exitCode(), kind.name(), retry, started, Instant.now(),
        message);
  }
}
