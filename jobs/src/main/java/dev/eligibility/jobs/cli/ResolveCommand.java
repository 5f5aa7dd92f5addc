package dev.eligibility.jobs.cli;

import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.jobs.publication.RootRecovery;
import dev.eligibility.jobs.publication.RunRecordStore;
import dev.eligibility.jobs.run.SparkSessions;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.RunManifest;
import dev.eligibility.lineage.RunRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lineage resolve}: which table versions hold the last committed run's rows. */
@Command(name = "resolve", mixinStandardHelpOptions = true,
    description = {
        "Name the table versions that hold the last committed run's rows.",
        "%nPrints the last committed run under an output root, the exact versions of eligible/ and"
            + " exclusions/ it produced, and the line of Spark code that reads its eligible rows. This is the"
            + " way to read the current eligible set: a run that died after writing a table but before its"
            + " manifest never shows through it (the latest version of eligible/ can, until the next run or"
            + " 'eligibility recover' restores the table). Exit code 1 when no run has committed or the"
            + " manifest does not verify with a trusted key."})
final class ResolveCommand implements Callable<Integer> {

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Mixin
  SparkVerbosity verbosity;

  @Mixin
  OutputRootOption output;

  @Option(names = "--lineage-conf", paramLabel = "FILE", description = "Trusted keys (default: conf/lineage.yaml).")
  Path lineageConf;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    SparkSession spark = verbosity.apply(SparkSessions.getOrCreate("lineage resolve"));
    OutputLayout layout = new OutputLayout(output.root);
    RunRecordStore records = new RunRecordStore(layout, spark.sparkContext().hadoopConfiguration());
    Optional<RootRecovery.Committed> last;
    String trust;
    try {
      last = new RootRecovery(spark, layout, records).lastCommitted();
      if (last.isEmpty()) {
        err.println("No run has committed under " + output.root + " (no manifest in its registry exists).");
        err.flush();
        return 1;
      }
      trust = trust(records, last.get());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    RunRecord record = last.get().record();
    String runId = record.run().runId();
    OutputSnapshot eligible = ManifestFile.eligible(record);
    OutputSnapshot exclusions = record.output(OutputLayout.EXCLUSIONS).orElseThrow();
    out.printf("Last committed run under %s: %s (%s, as_of %s)%n", output.root, runId, record.run().purpose(), record.run().asOf());
    out.printf("  manifest     %s (sha256 %s, %s)%n", records.location(runId), last.get().manifestDigest(), trust);
    out.printf("  eligible/    %s version %d (%d rows)%n", eligible.path(), eligible.deltaVersion(), eligible.rowCount());
    out.printf("  exclusions/  %s version %d (%d rows where run_id = '%s')%n", exclusions.path(),
        exclusions.deltaVersion(), exclusions.rowCount(), runId);
    out.println();
    out.println("Read its eligible rows:");
    out.printf("  spark.read.format(\"delta\").option(\"versionAsOf\", %d).load(\"%s\")%n", eligible.deltaVersion(),
        eligible.path());
    out.flush();
    return trust.startsWith("signature FAILS") ? 1 : 0;
  }

  private String trust(RunRecordStore records, RootRecovery.Committed committed) throws IOException {
    if (!committed.signed()) {
      return "UNSIGNED";
    }
    byte[] bytes = records.manifestBytes(committed.record().run().runId(), committed.manifestDigest()).orElseThrow();
    try {
      RunManifest.open(bytes, LineageConfig.load(lineageConf).trustedKeys());
      return "signed, verifies with a trusted key";
    } catch (RunManifest.ManifestException e) {
      return "signature FAILS: " + e.getMessage();
    }
  }
}
