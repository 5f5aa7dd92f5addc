package dev.eligibility.jobs.verify;

import dev.eligibility.jobs.decision.InputTables;
import dev.eligibility.jobs.errors.EligibilityException;
import dev.eligibility.jobs.input.BoundTable;
import dev.eligibility.jobs.input.Contracts;
import dev.eligibility.jobs.input.TableContract;
import dev.eligibility.jobs.input.TableReader;
import dev.eligibility.jobs.spec.TableFormat;
import dev.eligibility.jobs.spec.TableInput;
import dev.eligibility.lineage.InputFile;
import dev.eligibility.lineage.InputSnapshot;
import dev.eligibility.lineage.RunRecord;
import dev.eligibility.lineage.verify.Claim;
import dev.eligibility.lineage.verify.ClaimResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * {@link Claim#INPUTS}: every input, read as the run read it (a Delta input at its pinned
 * version, a file input with its files), still has the recorded files, row count and digest.
 * The inputs read here are what the evaluation re-decides.
 */
final class InputsClaim {

  /** The result and, when every input could be read, the inputs as the run read them. */
  record Checked(ClaimResult result, Optional<InputTables> inputs) {}

  private InputsClaim() {}

  static Checked check(SparkSession spark, RunRecord record) {
    List<BoundTable> bound = new ArrayList<>();
    ClaimResult result = read(spark, record, bound);
    return new Checked(result, result.passed() ? Optional.of(tables(bound)) : Optional.empty());
  }

  private static ClaimResult read(SparkSession spark, RunRecord record, List<BoundTable> bound) {
    TableReader reader = new TableReader(spark, record.digestAlgorithm());
    List<String> problems = new ArrayList<>();
    for (InputSnapshot snapshot : record.inputs()) {
      String label = TableReader.label(snapshot.table(), snapshot.name());
      Optional<TableFormat> format = TableFormat.fromKey(snapshot.format());
      Optional<TableContract> contract = contract(snapshot.table());
      if (format.isEmpty() || contract.isEmpty()) {
        problems.add(label + ": unknown format or table in the manifest");
        continue;
      }
      BoundTable table;
      try {
        table = reader.read(new TableInput(snapshot.name(), snapshot.path(), format.get()), contract.get(),
            Optional.ofNullable(snapshot.deltaVersion()));
      } catch (EligibilityException e) {
        problems.add(label + ": cannot be read as the run read it (" + firstLine(e.getMessage()) + ")");
        continue;
      } catch (RuntimeException e) {
        // Named by class only: other failures' messages may quote data values.
        problems.add(label + ": cannot be read as the run read it (" + e.getClass().getSimpleName() + ")");
        continue;
      }
      fileChanges(snapshot.files(), table.files()).ifPresent(change -> problems.add(label + ": " + change));
      String digest = table.datasetDigest().orElseThrow();
      if (table.rowCount() != snapshot.rowCount() || !digest.equals(snapshot.datasetDigest())) {
        problems.add(label + ": now " + table.rowCount() + " rows with digest " + digest
            + "; the manifest records " + snapshot.rowCount() + " rows with digest " + snapshot.datasetDigest());
      }
      bound.add(table);
    }
    return problems.isEmpty()
        ? ClaimResult.holds(Claim.INPUTS, record.inputs().size() + " inputs hash as recorded")
        : ClaimResult.fails(Claim.INPUTS, String.join("; ", problems));
  }

  /** The first difference between the recorded files of an input and the files it has now. */
  static Optional<String> fileChanges(List<InputFile> recorded, List<InputFile> now) {
    Map<String, InputFile> current = new java.util.TreeMap<>();
    now.forEach(f -> current.put(f.path(), f));
    for (InputFile file : recorded) {
      InputFile found = current.remove(file.path());
      if (found == null) {
        return Optional.of("file " + file.path() + " is gone");
      }
      if (!found.equals(file)) {
        return Optional.of("file " + file.path() + " changed (now " + found.size() + " bytes, SHA-256 " + found.sha256()
            + "; recorded " + file.size() + " bytes, SHA-256 " + file.sha256() + ")");
      }
    }
    return current.keySet().stream().findFirst().map(path -> "file " + path + " was added since the run");
  }

  private static InputTables tables(List<BoundTable> bound) {
    return new InputTables(
        bound.stream().filter(t -> t.contract() == Contracts.CORPUS).toList(),
        only(bound, Contracts.API_REQUESTS).orElseThrow(),
        only(bound, Contracts.CONSENT_EVENTS).orElseThrow(),
        only(bound, Contracts.FINE_TUNE_FILES).orElseThrow(),
        only(bound, Contracts.FINE_TUNED_MODELS).orElseThrow(),
        only(bound, Contracts.ZDR_AGREEMENTS),
        only(bound, Contracts.LICENSES));
  }

  private static Optional<BoundTable> only(List<BoundTable> bound, TableContract contract) {
    return bound.stream().filter(t -> t.contract() == contract).findFirst();
  }

  private static Optional<TableContract> contract(String table) {
    return Contracts.ALL.stream().filter(c -> c.table().equals(table)).findFirst();
  }

  private static String firstLine(String message) {
    return message == null ? "no detail" : message.lines().findFirst().orElse(message);
  }
}
