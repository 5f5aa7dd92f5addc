package dev.eligibility.jobs.cli;

import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.review.OrganizationReceipts;
import dev.eligibility.jobs.run.SparkSessions;
import dev.eligibility.lineage.MembershipProof;
import dev.eligibility.lineage.OrganizationReceipt;
import dev.eligibility.lineage.RunManifest;
import dev.eligibility.lineage.RunRecordCodec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lineage receipt}: what a run did with one organization's data, as a signed document for it. */
@Command(name = "receipt", mixinStandardHelpOptions = true,
    description = {
        "Write an organization's receipt for a committed run: its rows that were eligible and excluded (by"
            + " reason), the consent state the run saw for it at as_of, the eligible set's Merkle root, and a proof"
            + " that each record id it names is, or is not, in the eligible set.",
        "%nThe receipt is an in-toto statement about the run's manifest in a DSSE envelope, signed like a run's"
            + " manifest (the lineage configuration's signing key; --unsigned otherwise). 'lineage check-proof"
            + " --proof RECEIPT --manifest M' checks its signature and every proof; any DSSE verifier checks the"
            + " signature with the public key."})
final class ReceiptCommand implements Callable<Integer> {

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Mixin
  SparkVerbosity verbosity;

  @Mixin
  FormatOption format;

  @Option(names = "--manifest", required = true, paramLabel = "FILE", description = "The run's manifest.")
  Path manifest;

  @Option(names = "--org", required = true, paramLabel = "ORG_ID", description = "The organization.")
  String organizationId;

  @Option(names = "--record", paramLabel = "ID", description = "A record id to prove in or out of the eligible set (repeatable).")
  List<String> recordIds = new ArrayList<>();

  @Option(names = "--records", paramLabel = "FILE", description = "A file of record ids to prove, one per line.")
  Path recordFile;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the receipt (DSSE envelope JSON).")
  Path out;

  @Option(names = "--unsigned", description = "Write the receipt unsigned when no signing key is configured.")
  boolean unsigned;

  @Option(names = "--lineage-conf", paramLabel = "FILE", description = "Trusted keys and the signing key (default: conf/lineage.yaml).")
  Path lineageConf;

  @Override
  public Integer call() {
    LineageConfig lineage = LineageConfig.load(lineageConf);
    Optional<RunManifest.Signer> signer = lineage.signerOrRefuse(unsigned, System.getenv());
    ManifestFile run = ManifestFile.open(manifest, lineageConf, command.commandLine().getErr());
    SparkSession spark = verbosity.apply(SparkSessions.getOrCreate("lineage receipt " + run.record().run().runId()));
    OrganizationReceipt receipt = new OrganizationReceipts(spark).make(run.record(), run.digest(), organizationId,
        recordIds(), Instant.now().truncatedTo(ChronoUnit.SECONDS));
    try {
      Files.write(out, receipt.envelope(signer));
    } catch (IOException e) {
      throw Errors.infrastructure("Writing " + out, e);
    }
    PrintWriter console = command.commandLine().getOut();
    if (format.json()) {
      console.print(RunRecordCodec.toJsonText(receipt));
    } else {
      print(receipt, signer.isPresent(), console);
    }
    console.flush();
    return 0;
  }

  private List<String> recordIds() {
    List<String> ids = new ArrayList<>(recordIds);
    if (recordFile != null) {
      try {
        Files.readAllLines(recordFile).stream().map(String::strip).filter(line -> !line.isEmpty()).forEach(ids::add);
      } catch (IOException e) {
        throw Errors.specUnreadable(recordFile.toString(), "the list of record ids cannot be read");
      }
    }
    return ids;
  }

  private void print(OrganizationReceipt receipt, boolean signed, PrintWriter console) {
    console.printf("Receipt of organization %s for run %s (as_of %s), %s, written to %s%n", receipt.organizationId(),
        receipt.runId(), receipt.asOf(), signed ? "signed" : "UNSIGNED", out);
    console.printf(Locale.ROOT, "  eligible rows %,d; excluded rows %,d%s%n", receipt.eligibleRows(), receipt.excludedRows(),
        receipt.excludedByReason().isEmpty() ? "" : " " + receipt.excludedByReason());
    OrganizationReceipt.ConsentSeen consent = receipt.consent();
    console.printf("  consent at as_of: organization %s%s; %d events visible, %d malformed%n", consent.organization(),
        consent.projects().isEmpty() ? "" : ", projects " + consent.projects(), consent.visibleEvents(),
        consent.malformedEvents());
    console.printf("  eligible set: %d rows, Merkle root %s%n", receipt.eligibleSetSize(), receipt.merkleRoot());
    for (MembershipProof proof : receipt.proofs()) {
      console.printf("  %-32s %s the eligible set%n", proof.recordId(), proof.included() ? "IN" : "NOT IN");
    }
  }
}
