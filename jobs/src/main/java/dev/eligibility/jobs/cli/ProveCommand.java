package dev.eligibility.jobs.cli;

import static org.apache.spark.sql.functions.col;

import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.run.SparkSessions;
import dev.eligibility.lineage.MembershipProof;
import dev.eligibility.lineage.MerkleTree;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.RunRecord;
import dev.eligibility.lineage.RunRecordCodec;
import dev.eligibility.lineage.Sha256;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lineage prove}: an inclusion or non-inclusion proof for one record id. */
@Command(name = "prove", mixinStandardHelpOptions = true,
    description = {
        "Prove that a record id is, or is not, in a run's eligible set.",
        "%nReads the record ids of eligible/ at the version the run record names, checks they"
            + " still give its Merkle root, and prints the proof as JSON (check it with 'lineage"
            + " check-proof')."})
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
    // Record ids only, streamed in Spark's (unsigned UTF-8) order; never the rows.
    Iterator<String> ids = spark.read().format("delta").option("versionAsOf", eligible.deltaVersion())
        .load(eligible.path()).select(col("record_id")).orderBy(col("record_id"))
        .as(Encoders.STRING()).toLocalIterator();
    List<String> sorted = new ArrayList<>();
    ids.forEachRemaining(sorted::add);
    String root = Sha256.hex(MerkleTree.root(sorted.stream().map(MerkleTree::leafHash).toList()));
    if (!root.equals(eligible.merkleRoot()) || sorted.size() != eligible.rowCount()) {
      throw Errors.specConflict(eligible.path() + " v" + eligible.deltaVersion(),
          "its record ids no longer give the run record's Merkle root (" + sorted.size() + " ids, root " + root
              + "; the record says " + eligible.rowCount() + " ids, root " + eligible.merkleRoot() + ").");
    }
    MembershipProof proof = MembershipProof.prove(sorted, recordId);
    command.commandLine().getOut().print(new String(RunRecordCodec.toJson(proof), StandardCharsets.UTF_8));
    command.commandLine().getOut().flush();
    return 0;
  }
}
