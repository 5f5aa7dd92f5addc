package dev.eligibility.jobs.spec;

import java.util.Objects;
import java.util.Optional;

/**
 * One input table named by a run spec.
 *
 * @param name the corpus input's name, or the table's name for reference tables
 * @param path resolved location: an absolute local path or a URI such as {@code s3a://...}
 * @param format how the table is stored
 * @param pin for a Delta input, the snapshot to read; empty means its latest version
 */
public record TableInput(String name, String path, TableFormat format, Optional<DeltaPin> pin) {

  public TableInput {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(pin, "pin");
    if (pin.isPresent() && format != TableFormat.DELTA) {
      throw new IllegalArgumentException("only a Delta input can be pinned: " + name);
    }
  }

  /** An input read at its latest version (Delta) or as its files are (other formats). */
  public TableInput(String name, String path, TableFormat format) {
    this(name, path, format, Optional.empty());
  }

  /** This input, pinned to {@code pin} if it is a Delta input that the spec did not pin itself. */
  public TableInput pinnedUnlessPinned(DeltaPin pin) {
    return format == TableFormat.DELTA && this.pin.isEmpty() ? new TableInput(name, path, format, Optional.of(pin)) : this;
  }
}
