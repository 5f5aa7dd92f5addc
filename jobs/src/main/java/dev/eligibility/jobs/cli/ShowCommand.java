package dev.eligibility.jobs.cli;

import dev.eligibility.lineage.RunRecord;
import dev.eligibility.lineage.RunRecordCodec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code lineage show}: a readable summary of one run record. */
@Command(name = "show", mixinStandardHelpOptions = true,
    description = "Print a readable summary of a run record (inputs, outcomes, warnings, claims, outputs), or with"
        + " --format json the whole record.")
final class ShowCommand implements Callable<Integer> {

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Option(names = "--manifest", required = true, paramLabel = "FILE", description = "The run record (manifests/<run_id>.json).")
  Path manifest;

  @Option(names = "--lineage-conf", paramLabel = "FILE", description = "Trusted keys (default: conf/lineage.yaml).")
  Path lineageConf;

  @Mixin
  FormatOption format;

  /** What {@code --format json} prints: the manifest file, whether it is signed, and its run record. */
  record Shown(String manifest, String manifestDigest, boolean signed, RunRecord record) {}

  @Override
  public Integer call() {
    ManifestFile opened = ManifestFile.open(manifest, lineageConf, command.commandLine().getErr());
    PrintWriter out = command.commandLine().getOut();
    if (format.json()) {
      out.print(RunRecordCodec.toJsonText(new Shown(manifest.toString(), opened.digest(), opened.signed(),
          opened.record())));
      out.flush();
    } else {
      RunSummary.print(opened.record(), manifest.toString(), out);
    }
    return 0;
  }
}
