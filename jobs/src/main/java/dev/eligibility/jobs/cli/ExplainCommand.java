package dev.eligibility.jobs.cli;

import dev.eligibility.jobs.explain.DecisionTrace;
import dev.eligibility.jobs.policy.PolicyParameters;
import dev.eligibility.jobs.run.EligibilityRun;
import dev.eligibility.jobs.run.SparkSessions;
import dev.eligibility.jobs.spec.RunSpec;
import dev.eligibility.jobs.spec.RunSpecParser;
import dev.eligibility.jobs.verify.PinnedRun;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code eligibility explain}: one record's decision trace, without writing anything. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    description = {
        "Explain one record's decision: each rule in policy order and whether it applies, the provenance row (API"
            + " request, training file or licence), the consent events of the request's organization and the states"
            + " they produce at submission and at as_of. Writes nothing; content is never printed.",
        "%nWith --manifest, the record of a committed run is explained as that run decided it: its inputs at the"
            + " versions (or files) the manifest pins, which must still give the recorded digests, its policy,"
            + " purpose and as_of. With --spec, the inputs the spec names are read now (give the spec an as_of to"
            + " judge at a fixed instant; without one, as_of is now)."},
    footerHeading = "%nExamples:%n",
    footer = {"  jobs/bin/eligibility explain --record api-007 \\",
        "      --spec data-samples/specs/base-model.yaml",
        "  jobs/bin/eligibility explain --record api-007 \\",
        "      --manifest out/base-model/manifests/sample-base-model.json"})
final class ExplainCommand implements Callable<Integer> {

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Mixin
  SparkVerbosity verbosity;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  static final class Source {
    @Option(names = "--spec", paramLabel = "FILE", description = "A run spec (YAML): its inputs as they are now.")
    Path specFile;

    @Option(names = "--manifest", paramLabel = "FILE", description = "A committed run's manifest: its pinned inputs.")
    Path manifest;
  }

  @Option(names = "--record", required = true, paramLabel = "ID", description = "The record_id to explain.")
  String recordId;

  @Option(names = "--lineage-conf", paramLabel = "FILE", description = "Trusted keys, with --manifest (default: conf/lineage.yaml).")
  Path lineageConf;

  @Override
  public Integer call() {
    if (source.manifest != null) {
      ManifestFile run = ManifestFile.open(source.manifest, lineageConf, command.commandLine().getErr());
      SparkSession spark = verbosity.apply(SparkSessions.getOrCreate("eligibility explain " + run.record().run().runId()));
      PinnedRun pinned = PinnedRun.of(spark, run.record(), source.manifest.toString());
      new DecisionTrace(pinned.context(), pinned.inputs()).print(recordId, command.commandLine().getOut());
      return 0;
    }
    RunSpec spec = new RunSpecParser(Clock.systemUTC()).parse(source.specFile);
    PolicyParameters policy = EligibilityRun.policyOf(spec);
    SparkSession spark = verbosity.apply(SparkSessions.getOrCreate("eligibility explain " + spec.runId()));
    EligibilityRun run = new EligibilityRun(spark, Clock.systemUTC(), dev.eligibility.jobs.run.Progress.SILENT);
    var context = EligibilityRun.contextOf(spec, policy, Instant.now().truncatedTo(ChronoUnit.MICROS));
    new DecisionTrace(context, run.readInputs(spec)).print(recordId, command.commandLine().getOut());
    return 0;
  }
}
