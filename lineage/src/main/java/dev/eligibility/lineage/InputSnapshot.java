package dev.eligibility.lineage;

import java.util.List;
import java.util.Objects;

/**
 * One table as a run read it.
 *
 * @param table the contract table ({@code corpus}, {@code api_requests}, ...)
 * @param name the input's name: a corpus input's own name, else the table name
 * @param path where it was read from
 * @param format {@code delta}, {@code parquet}, {@code json} or {@code csv}
 * @param deltaVersion the Delta version read (pinned for the whole run); null for other formats
 * @param files for other formats, every file read, in path order, with its size and SHA-256; empty
 *     for Delta (the version pins the files)
 * @param rowCount rows read
 * @param datasetDigest the {@link DatasetDigest} of the rows as bound to the data contract (contract
 *     columns with their contract types, plus a corpus input's extra columns), id column as record id
 */
public record InputSnapshot(
    String table, String name, String path, String format, Long deltaVersion, List<InputFile> files, long rowCount,
    String datasetDigest) {

  public InputSnapshot {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(datasetDigest, "datasetDigest");
    files = files == null ? List.of() : List.copyOf(files);
  }
}
