package dev.eligibility.jobs.verify;

import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.jobs.publication.RunRecordStore;
import dev.eligibility.jobs.publication.RunRegistry;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.RunRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What the claims of one opened manifest are checked against: the run record, the file it came
 * from and its digest, the pinned outputs, and the output root's registry and manifest store.
 */
record VerifiedManifest(
    SparkSession spark, RunRecord record, String digest, Path file, OutputSnapshot eligible,
    OutputSnapshot exclusions, OutputLayout layout, RunRecordStore store, RunRegistry registry) {

  static VerifiedManifest of(SparkSession spark, RunRecord record, String digest, Path file) {
    OutputSnapshot eligible = output(record, OutputLayout.ELIGIBLE);
    OutputSnapshot exclusions = output(record, OutputLayout.EXCLUSIONS);
    OutputLayout layout = new OutputLayout(rootOf(eligible));
    return new VerifiedManifest(spark, record, digest, file, eligible, exclusions, layout,
        new RunRecordStore(layout, spark.sparkContext().hadoopConfiguration()), new RunRegistry(spark, layout));
  }

  String runId() {
    return record.run().runId();
  }

  /** An output table at the version the manifest pins. */
  Dataset<Row> atVersion(OutputSnapshot output) {
    return spark.read().format("delta").option("versionAsOf", output.deltaVersion()).load(output.path());
  }

  /** The state of a run's manifest in the store. */
  RunRecordStore.State stateOf(String runId, String manifestDigest) {
    try {
      return store.stateOf(runId, manifestDigest);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String rootOf(OutputSnapshot eligible) {
    String path = eligible.path();
    String suffix = "/" + OutputLayout.ELIGIBLE;
    if (!path.endsWith(suffix)) {
      throw new IllegalArgumentException("the manifest's eligible output " + path + " is not <root>/eligible");
    }
    return path.substring(0, path.length() - suffix.length());
  }

  private static OutputSnapshot output(RunRecord record, String table) {
    return record.output(table).orElseThrow(() -> new IllegalArgumentException("the manifest names no " + table + " output"));
  }
}
