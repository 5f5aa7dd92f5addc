package dev.eligibility.jobs.input;

import dev.eligibility.jobs.spec.TableInput;
import dev.eligibility.lineage.InputFile;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * An input that has been checked against its contract: every contract column exists with its
 * contract type (absent optional columns are null), every value parsed.
 *
 * @param input the spec entry it was read from
 * @param contract the contract it was bound to
 * @param rows the typed rows; for a Delta input, the pinned version
 * @param deltaVersion the Delta version read, for Delta inputs
 * @param files for other formats, the exact files read, with sizes and SHA-256
 * @param rowCount rows read
 * @param datasetDigest the dataset digest of the typed rows (see {@code lineage/ALGORITHMS.md}),
 *     computed in a Spark job of its own once the value checks pass; empty when the reader leaves
 *     it to the run's decision (a run's corpus inputs, see {@code Decision}) or when nothing needs
 *     it (a benchmark's baseline)
 */
public record BoundTable(
    TableInput input, TableContract contract, Dataset<Row> rows, Optional<Long> deltaVersion, List<InputFile> files,
    long rowCount,
    Optional<String> datasetDigest) {

  public BoundTable {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(contract, "contract");
    Objects.requireNonNull(rows, "rows");
    Objects.requireNonNull(deltaVersion, "deltaVersion");
    Objects.requireNonNull(datasetDigest, "datasetDigest");
    files = List.copyOf(files);
  }

  /** The same input with {@code narrowed} as its rows (a subset of them, for deciding a subset of the corpus). */
  public BoundTable withRows(Dataset<Row> narrowed) {
    return new BoundTable(input, contract, narrowed, deltaVersion, files, rowCount, datasetDigest);
  }
}
