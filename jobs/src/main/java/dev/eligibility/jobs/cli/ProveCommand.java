package dev.eligibility.jobs.cli;


import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.evidence.MerkleRoots;
import dev.eligibility.jobs.publication.OutputLayout;
import dev.eligibility.jobs.publication.PayloadGone;
import dev.eligibility.jobs.publication.RunEvidence;
import dev.eligibility.jobs.publication.RunRecordStore;
import dev.eligibility.jobs.run.SparkSessions;
import dev.eligibility.lineage.MembershipProof;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.RunRecord;
import dev.eligibility.lineage.RunRecordCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lineage prove}: an inclusion or non-inclusion proof for one record id. */
@Command(name = "prove", mixinStandardHelpOptions = true,
    description = {
        "Prove that a record id is, or is not, in a run's eligible set.",
        "%nHashes the record ids of eligible/ at the version the run record names where they are"
            + " (no id list on the driver), checks they still give its Merkle root, and prints the"
            + " proof as JSON (check it with 'lineage check-proof')."})
final class ProveCommand implements Callable<Integer> {

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Mixin
  SparkVerbosity verbosity;

  @Option(names = "--manifest", required = true, paramLabel = "FILE", description = "The run record.")
  Path manifest;

  @Option(names = "--lineage-conf", paramLabel = "FILE", description = "Trusted keys (default: conf/lineage.yaml).")
  Path lineageConf;

  @Option(names = "--record", required = true, paramLabel = "ID", description = "The record_id to prove.")
  String recordId;

  @Override
  public Integer call() {
    RunRecord record = ManifestFile.read(manifest, lineageConf, command.commandLine().getErr());
    OutputSnapshot eligible = ManifestFile.eligible(record);
    SparkSession spark = verbosity.apply(SparkSessions.getOrCreate("lineage prove " + record.run().runId()));
    // Record ids only, hashed and folded on the executors; the driver sees O(log n) hashes.
    Dataset<Row> rows = spark.read().format("delta").option("versionAsOf", eligible.deltaVersion()).load(eligible.path());
    MembershipProof proof;
    try {
      proof = prove(rows, eligible);
    } catch (Exception e) {
      if (!PayloadGone.isCause(e)) {
        throw PayloadGone.rethrow(e);
      }
      // The payload was purged after the audit window: the run's evidence holds its record ids.
      proof = prove(evidence(spark, record, eligible), eligible);
    }
    command.commandLine().getOut().print(new String(RunRecordCodec.toJson(proof), StandardCharsets.UTF_8));
    command.commandLine().getOut().flush();
    return 0;
  }

  private MembershipProof prove(Dataset<Row> rows, OutputSnapshot eligible) {
    try {
      return MerkleRoots.prove(rows, "record_id", recordId, eligible.merkleRoot(), eligible.rowCount());
    } catch (IllegalStateException e) {
      throw Errors.specConflict(eligible.path() + " v" + eligible.deltaVersion(), e.getMessage() + ".");
    }
  }

  private Dataset<Row> evidence(SparkSession spark, RunRecord record, OutputSnapshot eligible) {
    byte[] bytes;
    try {
      bytes = java.nio.file.Files.readAllBytes(manifest);
    } catch (java.io.IOException e) {
      throw Errors.specUnreadable(manifest.toString(), "the manifest cannot be read");
    }
    String root = eligible.path().substring(0, eligible.path().length() - ("/" + OutputLayout.ELIGIBLE).length());
    return new RunEvidence(spark, new OutputLayout(root)).of(record, RunRecordStore.digestOf(bytes))
        .orElseThrow(() -> Errors.specConflict(eligible.path() + " v" + eligible.deltaVersion(),
            "the payload of this version is purged and no evidence of the run is recorded under " + root
                + "/evidence, so its record ids are gone."));
  }
}
