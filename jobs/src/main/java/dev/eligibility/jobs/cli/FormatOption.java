package dev.eligibility.jobs.cli;

import picocli.CommandLine.Option;

/** {@code --format text|json}: a table for people (the default) or one JSON document for notebooks and scripts. */
final class FormatOption {

  enum Format { text, json }

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      description = "text (a table, the default) or json (one document on standard output, for notebooks and scripts).")
  Format format;

  boolean json() {
    return format == Format.json;
  }
}
