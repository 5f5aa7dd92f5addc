package dev.eligibility.jobs.output;

import dev.eligibility.lineage.RunRecord;
import dev.eligibility.lineage.RunManifest;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Run manifests under {@code manifests/}. A manifest is written as one file write (on S3, one PUT;
 * never a rename), after both tables have committed: its presence is what makes a run committed.
 */
public final class RunRecordStore {

  private final OutputLayout layout;
  private final Configuration hadoopConf;

  public RunRecordStore(OutputLayout layout, Configuration hadoopConf) {
    this.layout = layout;
    this.hadoopConf = hadoopConf;
  }

  public boolean isCommitted(String runId) throws IOException {
    Path path = layout.manifest(runId);
    return fileSystem(path).exists(path);
  }

  public Path location(String runId) {
    return layout.manifest(runId);
  }

  /**
   * Writes the run's manifest (the record as an in-toto Statement in a DSSE envelope, signed
   * when {@code signer} is present); replaces an existing one only when {@code replace} is set.
   */
  public Path commit(RunRecord record, boolean replace, Optional<RunManifest.Signer> signer) throws IOException {
    Path path = layout.manifest(record.run().runId());
    FileSystem fs = fileSystem(path);
    fs.setWriteChecksum(false);
    fs.mkdirs(path.getParent());
    byte[] json = RunManifest.write(record, signer);
    try (OutputStream out = fs.create(path, replace)) {
      out.write(json);
    }
    return path;
  }

  /** Reads and opens a run's manifest; a signed one must verify with one of {@code trustedKeys}. */
  public RunManifest.Opened read(String runId, List<PublicKey> trustedKeys) throws IOException {
    Path path = layout.manifest(runId);
    try (InputStream in = fileSystem(path).open(path)) {
      return RunManifest.open(in.readAllBytes(), trustedKeys);
    } catch (RunManifest.ManifestException e) {
      throw new IOException(path + ": " + e.getMessage(), e);
    }
  }

  private FileSystem fileSystem(Path path) throws IOException {
    return path.getFileSystem(hadoopConf);
  }
}
