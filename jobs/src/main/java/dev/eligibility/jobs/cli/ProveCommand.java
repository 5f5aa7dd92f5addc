package dev.eligibility.jobs.cli;


import dev.eligibility.jobs.review.MembershipProofs;
import dev.eligibility.jobs.run.SparkSessions;
import dev.eligibility.lineage.MembershipProof;
import dev.eligibility.lineage.RunRecordCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
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
    ManifestFile run = ManifestFile.open(manifest, lineageConf, command.commandLine().getErr());
    SparkSession spark = verbosity.apply(SparkSessions.getOrCreate("lineage prove " + run.record().run().runId()));
    MembershipProof proof = new MembershipProofs(spark, run.record(), run.digest()).prove(recordId);
    command.commandLine().getOut().print(new String(RunRecordCodec.toJson(proof), StandardCharsets.UTF_8));
    command.commandLine().getOut().flush();
    return 0;
  }
}
