package dev.eligibility.jobs.cli;

import dev.eligibility.jobs.impact.RevocationImpact;
import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.jobs.publication.PayloadGone;
import dev.eligibility.jobs.publication.RunRecordStore;
import dev.eligibility.jobs.publication.RunRegistry;
import dev.eligibility.jobs.run.SparkSessions;
import dev.eligibility.lineage.RunManifest;
import dev.eligibility.lineage.RunRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
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
    OutputLayout layout = new OutputLayout(output.root);
    RunRecordStore store = new RunRecordStore(layout, spark.sparkContext().hadoopConfiguration());
    RevocationImpact impact = new RevocationImpact(spark);
    var trusted = LineageConfig.load(lineageConf).trustedKeys();
    out.printf("Runs under %s decided again at %s:%n", output.root, at);
    out.printf("%-40s %-22s %10s %13s%n", "RUN", "AS OF", "ELIGIBLE", "NOW EXCLUDED");
    int checked = 0;
    int affected = 0;
    Iterator<RunRegistry.Entry> entries = new RunRegistry(spark, layout).newestFirst();
    while (entries.hasNext()) {
      RunRegistry.Entry entry = entries.next();
      if (store.stateOf(entry) != RunRecordStore.State.COMMITTED) {
        continue;
      }
      if (!entry.asOf().isBefore(at)) {
        out.printf("%-40s %-22s %10d %13s%n", entry.runId(), entry.asOf(), entry.eligible(), "(as_of not before)");
        continue;
      }
      Optional<RevocationImpact.RunImpact> result = impactOf(impact, record(store, entry, trusted), at);
      if (result.isEmpty()) {
        out.printf("%-40s %-22s %10d %13s%n", entry.runId(), entry.asOf(), entry.eligible(), "(not retained)");
        continue;
      }
      RevocationImpact.RunImpact run = result.get();
      checked++;
      affected += run.nowExcluded() > 0 ? 1 : 0;
      out.printf("%-40s %-22s %10d %13d%n", run.runId(), run.asOf(), run.eligible(), run.nowExcluded());
      for (Map.Entry<String, Long> reason : run.byReason().entrySet()) {
        out.printf("    %-36s %,10d%n", reason.getKey(), reason.getValue());
      }
      for (RevocationImpact.OrganizationReason pair : run.largest()) {
        out.printf("    %-20s %-24s %,10d%n", pair.organization(), pair.reason(), pair.rows());
      }
    }
    out.println(checked + " retained run" + (checked == 1 ? "" : "s") + " checked; " + affected
        + (affected == 1 ? " has" : " have") + " eligible rows that would be excluded at " + at + ".");
    out.flush();
    return affected > 0 ? 1 : 0;
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

  /** The run's impact, or empty when its eligible version can no longer be read (its files were vacuumed). */
  private static Optional<RevocationImpact.RunImpact> impactOf(RevocationImpact impact, RunRecord record, Instant at) {
    try {
      return Optional.of(impact.of(record, at));
    } catch (Exception e) {
      if (PayloadGone.isCause(e)) {
        return Optional.empty();
      }
      throw PayloadGone.rethrow(e);
    }
  }

  private static RunRecord record(RunRecordStore store, RunRegistry.Entry entry, java.util.List<java.security.PublicKey> trusted) {
    try {
      Optional<byte[]> bytes = store.manifestBytes(entry.runId(), entry.manifestDigest());
      return RunManifest.open(bytes.orElseThrow(), trusted).record();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RunManifest.ManifestException e) {
      throw new IllegalStateException("run " + entry.runId() + ": the manifest does not verify: " + e.getMessage(), e);
    }
  }
}
