package dev.eligibility.jobs.cli;

import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.jobs.publication.RunRecordStore;
import dev.eligibility.jobs.publication.RunRegistry;
import dev.eligibility.jobs.run.SparkSessions;
import dev.eligibility.lineage.RunManifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lineage runs --org X}: the runs whose eligible set held data of an organization. */
@Command(name = "runs", mixinStandardHelpOptions = true,
    description = {
        "List the runs whose eligible set held data of an organization.",
        "%nReads the run registry (registry/ under the output root) and checks each run against"
            + " its manifest: the manifest must exist with the registered digest, verify with a"
            + " trusted key and record the same row count for the organization. Runs that never"
            + " committed are left out (see --all)."})
final class RunsCommand implements Callable<Integer> {

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Mixin
  SparkVerbosity verbosity;

  @Mixin
  OutputRootOption output;

  @Option(names = "--org", required = true, paramLabel = "ORG_ID", description = "The organization id.")
  String organizationId;

  @Option(names = "--all", description = "Also list attempts that never committed (failed before their manifest).")
  boolean all;

  @Option(names = "--lineage-conf", paramLabel = "FILE", description = "Trusted keys (default: conf/lineage.yaml).")
  java.nio.file.Path lineageConf;

  @Mixin
  FormatOption format;

  /** One listed run, as {@code --format json} prints it. */
  record Listed(String runId, String purpose, java.time.Instant asOf, long rowsOfOrganization, long eligibleVersion,
      String state, String evidence, String manifestDigest) {}

  @Override
  public Integer call() {
    List<PublicKey> trusted = LineageConfig.load(lineageConf).trustedKeys();
    SparkSession spark = verbosity.apply(SparkSessions.getOrCreate("lineage runs " + organizationId));
    OutputLayout layout = new OutputLayout(output.root);
    RunRecordStore store = new RunRecordStore(layout, spark.sparkContext().hadoopConfiguration());
    RunRegistry registry = new RunRegistry(spark, layout);
    Map<RunRegistry.Entry, Long> runs = registry.entriesWithOrganization(organizationId);
    PrintWriter out = command.commandLine().getOut();
    List<Listed> listed = new java.util.ArrayList<>();
    boolean allTrusted = true;
    for (Map.Entry<RunRegistry.Entry, Long> run : runs.entrySet()) {
      RunRegistry.Entry entry = run.getKey();
      RunRecordStore.State state = store.stateOf(entry);
      if (state == RunRecordStore.State.NOT_COMMITTED && !all) {
        continue;
      }
      String evidence = state == RunRecordStore.State.NOT_COMMITTED ? "NOT COMMITTED" : evidence(store, registry, entry, trusted);
      allTrusted &= state == RunRecordStore.State.NOT_COMMITTED || evidence.startsWith("signed");
      listed.add(new Listed(entry.runId(), entry.purpose(), entry.asOf(), run.getValue(), entry.eligibleVersion(),
          state.name(), evidence, entry.manifestDigest()));
    }
    if (format.json()) {
      out.print(dev.eligibility.lineage.RunRecordCodec.toJsonText(listed));
    } else {
      print(listed, out);
      if (!allTrusted) {
        out.println("Not every listed run is vouched for: "
            + listed.stream().filter(run -> !run.state().equals("NOT_COMMITTED") && !run.evidence().equals("signed"))
                .map(run -> run.runId() + " (" + run.evidence() + ")").toList()
            + "; exit code 1.");
      }
    }
    out.flush();
    return allTrusted ? 0 : 1;
  }

  private void print(List<Listed> listed, PrintWriter out) {
    out.printf("%-32s %-10s %-20s %10s %9s  %-26s %s%n", "RUN", "PURPOSE", "AS OF", "ROWS OF ORG", "ELIGIBLE", "STATE", "MANIFEST");
    for (Listed run : listed) {
      out.printf("%-32s %-10s %-20s %10d %9s  %-26s %s%n", run.runId(), run.purpose(), run.asOf(), run.rowsOfOrganization(),
          "v" + run.eligibleVersion(), run.state() + ", " + run.evidence(), run.manifestDigest().substring(0, 16));
    }
    out.println(listed.size() + " run" + (listed.size() == 1 ? "" : "s") + " with eligible rows of " + organizationId
        + " under " + output.root + ".");
  }

  /** What the manifest itself says: signed and agreeing, or why not. */
  private String evidence(RunRecordStore store, RunRegistry registry, RunRegistry.Entry entry, List<PublicKey> trusted) {
    try {
      Optional<byte[]> bytes = store.manifestBytes(entry.runId(), entry.manifestDigest());
      RunManifest.Opened opened = RunManifest.open(bytes.orElseThrow(), trusted);
      // The registry's counts of the run must be the ones the manifest's digest binds.
      if (registry.organizationCountsAsRecorded(opened.record(), entry.manifestDigest()).isEmpty()) {
        return "MANIFEST DISAGREES";
      }
      return opened.signed() ? "signed" : "UNSIGNED";
    } catch (RunManifest.ManifestException e) {
      return "SIGNATURE FAILS";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
