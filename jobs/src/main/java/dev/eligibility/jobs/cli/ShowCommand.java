package dev.eligibility.jobs.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lineage show}: a readable summary of one run record. */
@Command(name = "show", mixinStandardHelpOptions = true,
    description = "Print a readable summary of a run record: inputs, outcomes, warnings, claims, outputs.")
final class ShowCommand implements Callable<Integer> {

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Option(names = "--manifest", required = true, paramLabel = "FILE", description = "The run record (manifests/<run_id>.json).")
  Path manifest;

  @Option(names = "--lineage-conf", paramLabel = "FILE", description = "Trusted keys (default: conf/lineage.yaml).")
  Path lineageConf;

  @Override
  public Integer call() {
    RunSummary.print(ManifestFile.read(manifest, lineageConf, command.commandLine().getErr()), manifest.toString(), command.commandLine().getOut());
    return 0;
  }
}
