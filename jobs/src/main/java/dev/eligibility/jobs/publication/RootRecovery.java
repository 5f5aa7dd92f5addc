package dev.eligibility.jobs.publication;

import dev.eligibility.jobs.input.TableReader;

import static org.apache.spark.sql.functions.col;

import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.RunManifest;
import dev.eligibility.lineage.RunRecord;
import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * Brings an output root back to its last committed state after a run died between its first
 * table commit and its manifest: {@code eligible/} and {@code exclusions/} are restored (Delta
 * {@code RESTORE}) to the versions the last committed manifest names, and registry rows of
 * attempts that never committed are deleted. Readers that take a run's data through its manifest
 * ({@code lineage resolve}) never saw those versions; after recovery, the tables' latest versions
 * hold the last committed run's rows again, so {@code lineage verify} of that run holds.
 *
 * <p>Runs only under a claim on the root (a run, or {@code eligibility recover}), so no live run
 * is between its table commits and its manifest meanwhile.
 */
public final class RootRecovery {

  private final SparkSession spark;
  private final OutputLayout layout;
  private final RunRecordStore records;
  private final RunRegistry registry;

  public RootRecovery(SparkSession spark, OutputLayout layout, RunRecordStore records) {
    this.spark = spark;
    this.layout = layout;
    this.records = records;
    this.registry = new RunRegistry(spark, layout);
  }

  /** The last committed run under the root and its manifest's digest, if any run committed. */
  public record Committed(RunRecord record, String manifestDigest, boolean signed) {}

  /** The last committed run (the head of the manifest chain), read for its versions; its signature is not checked here. */
  public Optional<Committed> lastCommitted() throws IOException {
    return chain().head();
  }

  /**
   * Restores what an uncommitted run left.
   *
   * @return one line per thing done; empty when the root was already at its last committed state
   */
  public List<String> recover() throws IOException {
    Chain chain = chain();
    List<String> done = new ArrayList<>();
    for (String table : List.of(OutputLayout.ELIGIBLE, OutputLayout.EXCLUSIONS)) {
      String path = OutputLayout.ELIGIBLE.equals(table) ? layout.eligible() : layout.exclusions();
      Optional<Long> pinned = chain.head().flatMap(c -> c.record().output(table)).map(OutputSnapshot::deltaVersion);
      restore(table, path, pinned).ifPresent(done::add);
    }
    if (!chain.uncommitted().isEmpty()) {
      List<Object> digests = chain.uncommitted().stream().map(e -> (Object) e.manifestDigest()).toList();
      for (String path : List.of(layout.registryRuns(), layout.registryRunOrganizations())) {
        if (DeltaTable.isDeltaTable(spark, path)) {
          DeltaTable.forPath(spark, path).delete(col("manifest_digest").isin(digests.toArray()));
        }
      }
      int orphans = digests.size();
      done.add("registry: removed " + orphans + " registration" + (orphans == 1 ? "" : "s")
          + " of attempts that never wrote their manifest");
    }
    return done;
  }

  /**
   * The head of the chain and the registered attempts after it, which never committed. (Attempts
   * are registered just before their manifest, and every run recovers before it writes, so such
   * attempts can only follow the head.)
   */
  private record Chain(Optional<Committed> head, List<RunRegistry.Entry> uncommitted) {}

  private Chain chain() throws IOException {
    java.util.Iterator<RunRegistry.Entry> newestFirst = registry.newestFirst();
    List<RunRegistry.Entry> uncommitted = new ArrayList<>();
    while (newestFirst.hasNext()) {
      RunRegistry.Entry entry = newestFirst.next();
      Optional<byte[]> bytes = records.manifestBytes(entry.runId(), entry.manifestDigest());
      if (bytes.isEmpty()) {
        uncommitted.add(entry);
        continue;
      }
      try {
        RunManifest.Opened opened = RunManifest.openUnverified(bytes.get());
        return new Chain(Optional.of(new Committed(opened.record(), entry.manifestDigest(), opened.signed())), uncommitted);
      } catch (RunManifest.ManifestException e) {
        throw new IOException("the manifest of run " + entry.runId() + " cannot be read: " + e.getMessage(), e);
      }
    }
    return new Chain(Optional.empty(), uncommitted);
  }

  private Optional<String> restore(String table, String path, Optional<Long> pinned) {
    if (!DeltaTable.isDeltaTable(spark, path)) {
      return Optional.empty();
    }
    long latest = TableReader.latestVersion(spark, path);
    if (pinned.isPresent() && (latest == pinned.get() || sameFiles(path, pinned.get(), latest))) {
      return Optional.empty();
    }
    DeltaTable delta = DeltaTable.forPath(spark, path);
    if (pinned.isPresent()) {
      delta.restoreToVersion(pinned.get());
      return Optional.of(table + "/: v" + latest + " was written by a run that never committed; restored to v"
          + pinned.get() + ", the last committed run's (now v" + TableReader.latestVersion(spark, path) + ")");
    }
    if (spark.read().format("delta").load(path).isEmpty()) {
      return Optional.empty();
    }
    delta.delete();
    return Optional.of(table + "/: v" + latest + " was written by a run that never committed, and no run has"
        + " committed under this root; its rows were deleted (now v" + TableReader.latestVersion(spark, path) + ")");
  }

  /**
   * Whether two versions of a Delta table hold the same data files, as after a {@code RESTORE}.
   * Compares file names (a count proportional to the table's files, not its rows).
   */
  public static boolean sameFiles(SparkSession spark, String path, long version, long other) {
    String[] a = spark.read().format("delta").option("versionAsOf", version).load(path).inputFiles();
    String[] b = spark.read().format("delta").option("versionAsOf", other).load(path).inputFiles();
    Arrays.sort(a);
    Arrays.sort(b);
    return Arrays.equals(a, b);
  }

  private boolean sameFiles(String path, long version, long other) {
    return sameFiles(spark, path, version, other);
  }
}
