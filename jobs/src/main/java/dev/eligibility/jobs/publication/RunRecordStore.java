package dev.eligibility.jobs.publication;

import dev.eligibility.lineage.RunManifest;
import dev.eligibility.lineage.Sha256;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Run manifests under {@code manifests/}. A manifest is written as one file write (on S3, one PUT;
 * never a rename), after both tables have committed: its presence is what makes a run committed.
 * A manifest replaced by a re-run of its run id ({@code --replace}) is first copied to
 * {@code manifests/superseded/<run_id>.<digest>.json}, so every link of the hash chain stays
 * readable.
 */
public final class RunRecordStore {

  /** What became of a registered run attempt. */
  public enum State {
    /** Its manifest is the run id's current manifest. */
    COMMITTED,
    /** It was committed, then replaced by a re-run of the same run id; its manifest is archived. */
    SUPERSEDED,
    /** No manifest with its digest exists: the attempt failed before its commit point. */
    NOT_COMMITTED
  }

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

  /** The hex SHA-256 of a manifest file's bytes: the digest the hash chain and the registry use. */
  public static String digestOf(byte[] manifest) {
    return Sha256.hex(Sha256.of(manifest));
  }

  /**
   * Writes the run's manifest bytes, the commit point of the run. An existing manifest of the run
   * id is replaced only when {@code replace} is set, and is archived first.
   */
  public Path commit(String runId, byte[] manifest, boolean replace) throws IOException {
    Path path = layout.manifest(runId);
    FileSystem fs = fileSystem(path);
    fs.setWriteChecksum(false);
    fs.mkdirs(path.getParent());
    if (replace) {
      Optional<byte[]> current = bytes(path);
      if (current.isPresent()) {
        write(layout.supersededManifest(runId, digestOf(current.get())), current.get(), true);
      }
    }
    write(path, manifest, replace);
    return path;
  }

  /** What became of the registered attempt of {@code runId} whose manifest has {@code manifestDigest}. */
  public State stateOf(String runId, String manifestDigest) throws IOException {
    return manifestBytes(runId, manifestDigest).isPresent()
        ? (bytes(layout.manifest(runId)).map(RunRecordStore::digestOf).orElse("").equals(manifestDigest)
            ? State.COMMITTED : State.SUPERSEDED)
        : State.NOT_COMMITTED;
  }

  /** {@link #stateOf(String, String)} of a registry entry, for callers that cannot recover from I/O errors. */
  public State stateOf(RunRegistry.Entry entry) {
    try {
      return stateOf(entry.runId(), entry.manifestDigest());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The bytes of the manifest of {@code runId} with {@code manifestDigest}: current or archived. */
  public Optional<byte[]> manifestBytes(String runId, String manifestDigest) throws IOException {
    Optional<byte[]> current = bytes(layout.manifest(runId));
    if (current.isPresent() && digestOf(current.get()).equals(manifestDigest)) {
      return current;
    }
    return bytes(layout.supersededManifest(runId, manifestDigest))
        .filter(archived -> digestOf(archived).equals(manifestDigest));
  }

  /**
   * The digest of the manifest committed last under the root (the head of the hash chain), from
   * the registry's attempts, newest first: the first whose manifest exists. Empty for a new root.
   */
  public Optional<String> headDigest(java.util.Iterator<RunRegistry.Entry> entriesNewestFirst) throws IOException {
    return head(entriesNewestFirst).map(RunRegistry.Entry::manifestDigest);
  }

  /** The attempt whose manifest is the head of the hash chain (see {@link #headDigest}). */
  public Optional<RunRegistry.Entry> head(java.util.Iterator<RunRegistry.Entry> entriesNewestFirst) throws IOException {
    while (entriesNewestFirst.hasNext()) {
      RunRegistry.Entry entry = entriesNewestFirst.next();
      if (stateOf(entry.runId(), entry.manifestDigest()) != State.NOT_COMMITTED) {
        return Optional.of(entry);
      }
    }
    return Optional.empty();
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

  private void write(Path path, byte[] bytes, boolean overwrite) throws IOException {
    FileSystem fs = fileSystem(path);
    fs.setWriteChecksum(false);
    try (OutputStream out = fs.create(path, overwrite)) {
      out.write(bytes);
    }
  }

  private Optional<byte[]> bytes(Path path) throws IOException {
    try (InputStream in = fileSystem(path).open(path)) {
      return Optional.of(in.readAllBytes());
    } catch (FileNotFoundException e) {
      return Optional.empty();
    }
  }

  private FileSystem fileSystem(Path path) throws IOException {
    return path.getFileSystem(hadoopConf);
  }
}
