package dev.eligibility.jobs.spec;

import java.util.Objects;

/**
 * One input table named by a run spec.
 *
 * @param name the corpus input's name, or the table's name for reference tables
 * @param path resolved location: an absolute local path or a URI such as {@code s3a://...}
 * @param format how the table is stored
 */
public record TableInput(String name, String path, TableFormat format) {

  public TableInput {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(format, "format");
  }
}
