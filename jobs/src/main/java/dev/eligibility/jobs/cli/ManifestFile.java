package dev.eligibility.jobs.cli;

import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.RunRecord;
import dev.eligibility.lineage.RunRecordCodec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A run record read from a local file, for the reviewer's commands. */
final class ManifestFile {

  private ManifestFile() {}

  static RunRecord read(Path file) {
    try {
      return RunRecordCodec.fromJson(Files.readAllBytes(file));
    } catch (IOException e) {
      throw Errors.specUnreadable(file.toString(), "not a run record (" + firstLine(e.getMessage()) + ")");
    }
  }

  static OutputSnapshot eligible(RunRecord record) {
    return record.outputs().stream().filter(o -> o.table().equals("eligible")).findFirst()
        .orElseThrow(() -> Errors.specConflict("run record", "it names no eligible output"));
  }

  private static String firstLine(String message) {
    return message == null ? "no detail" : message.lines().findFirst().orElse(message);
  }
}
