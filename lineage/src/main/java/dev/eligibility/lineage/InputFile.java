package dev.eligibility.lineage;

import java.util.Objects;

/**
 * One file of a non-Delta input, as a run read it: a later reader re-hashes the file to show the
 * input is still the one the run judged.
 *
 * @param path the file's full path or URI
 * @param size its length in bytes
 * @param sha256 hex SHA-256 of its bytes
 */
public record InputFile(String path, long size, String sha256) {

  public InputFile {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(sha256, "sha256");
  }
}
