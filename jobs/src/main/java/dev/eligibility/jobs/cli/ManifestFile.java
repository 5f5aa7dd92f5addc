package dev.eligibility.jobs.cli;

import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.publication.RunRecordStore;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.RunManifest;
import dev.eligibility.lineage.RunRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A run manifest read from a local file for the reviewer's commands: a signed one must verify
 * with a key trusted in the lineage configuration; an unsigned one is read with a warning.
 *
 * @param location where it was read
 * @param digest hex SHA-256 of its bytes (what the hash chain and the registry name)
 * @param record its run record
 * @param signed whether it is signed (and so verified with a trusted key)
 */
record ManifestFile(String location, String digest, RunRecord record, boolean signed) {

  static RunRecord read(Path file, Path lineageConf, PrintWriter err) {
    return open(file, lineageConf, err).record();
  }

  /** Reads and opens the manifest in {@code file}; an unsigned one is reported on {@code err}. */
  static ManifestFile open(Path file, Path lineageConf, PrintWriter err) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw Errors.specUnreadable(file.toString(), "the manifest cannot be read");
    }
    RunManifest.Opened opened;
    try {
      opened = RunManifest.open(bytes, LineageConfig.load(lineageConf).trustedKeys());
    } catch (RunManifest.ManifestException e) {
      throw Errors.untrustedManifest(file.toString(), e.getMessage());
    }
    if (!opened.signed()) {
      err.println("warning: " + file + " is UNSIGNED (its run was started with --unsigned): nothing vouches for it.");
      err.flush();
    }
    return new ManifestFile(file.toString(), RunRecordStore.digestOf(bytes), opened.record(), opened.signed());
  }

  static OutputSnapshot eligible(RunRecord record) {
    return record.output("eligible").orElseThrow(() -> Errors.specConflict("run record", "it names no eligible output"));
  }
}
