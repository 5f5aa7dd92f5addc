package dev.eligibility.jobs.cli;

import picocli.CommandLine.Option;

/** {@code --root URI}: the output root a command works on, as the spec's {@code output.root} names it. */
final class OutputRootOption {

  @Option(names = "--root", required = true, paramLabel = "URI",
      description = "The output root (output.root of the run spec): a local path or a URI such as s3a://bucket/prefix.")
  String root;
}
