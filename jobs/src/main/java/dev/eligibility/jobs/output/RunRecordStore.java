package dev.eligibility.jobs.output;

import dev.eligibility.lineage.RunRecord;
import dev.eligibility.lineage.RunRecordCodec;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Run records under {@code manifests/}. A record is written as one file write (on S3, one PUT;
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

  /** Writes the record; replaces an existing one only when {@code replace} is set. */
  public Path commit(RunRecord record, boolean replace) throws IOException {
    Path path = layout.manifest(record.run().runId());
    FileSystem fs = fileSystem(path);
    fs.setWriteChecksum(false);
    fs.mkdirs(path.getParent());
    byte[] json = RunRecordCodec.toJson(record);
    try (OutputStream out = fs.create(path, replace)) {
      out.write(json);
    }
    return path;
  }

  public RunRecord read(String runId) throws IOException {
    Path path = layout.manifest(runId);
    try (InputStream in = fileSystem(path).open(path)) {
      return RunRecordCodec.fromJson(in.readAllBytes());
    }
  }

  private FileSystem fileSystem(Path path) throws IOException {
    return path.getFileSystem(hadoopConf);
  }
}
