package dev.eligibility.jobs.publication;

import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.lineage.RunManifest;
import dev.eligibility.lineage.RunRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The committed runs of an output root, newest first, along the manifests' hash chain: from the
 * run committed last, each run's predecessor is the run whose manifest digest it names. Only
 * committed (or superseded) manifests are links; attempts that never committed are not history.
 *
 * <p>The driver holds one record per run (a few kilobytes each), never rows of data; {@code limit}
 * bounds how far back it reads.
 */
public final class RunHistory {

  /** How a run's manifest stood up to the trusted keys when it was read. */
  public enum Signature {
    /** Signed, and the signature verifies with a trusted key. */
    SIGNED,
    /** Written with {@code --unsigned}: nothing vouches for it. */
    UNSIGNED,
    /** Signed; read for its figures without checking the signature. */
    NOT_CHECKED
  }

  /**
   * One committed run.
   *
   * @param entry the run's row in the registry
   * @param record what its manifest records
   * @param signature how its manifest's signature stood
   */
  public record Run(RunRegistry.Entry entry, RunRecord record, Signature signature) {

    public String runId() {
      return entry.runId();
    }

    public String manifestDigest() {
      return entry.manifestDigest();
    }
  }

  private final RunRegistry registry;
  private final RunRecordStore store;

  public RunHistory(RunRegistry registry, RunRecordStore store) {
    this.registry = registry;
    this.store = store;
  }

  /**
   * Up to {@code limit} runs, newest first, following the hash chain from its head. Signatures are
   * checked against {@code trustedKeys}; a signed manifest no trusted key verifies stops the walk
   * with an error ({@link Errors#untrustedManifest}), since nothing behind it can be trusted.
   */
  public List<Run> newestFirst(int limit, List<PublicKey> trustedKeys) {
    return walk(limit, Optional.of(trustedKeys));
  }

  /**
   * Up to {@code limit} runs, newest first, read without checking signatures: for figures a run
   * compares itself with (its drift gate), not for evidence.
   */
  public List<Run> figuresNewestFirst(int limit) {
    return walk(limit, Optional.empty());
  }

  private List<Run> walk(int limit, Optional<List<PublicKey>> trustedKeys) {
    Map<String, RunRegistry.Entry> byDigest = new HashMap<>();
    Iterator<RunRegistry.Entry> entries = registry.newestFirst();
    List<Run> runs = new ArrayList<>();
    try {
      Optional<RunRegistry.Entry> next = store.head(collecting(entries, byDigest));
      while (next.isPresent() && runs.size() < limit) {
        RunRegistry.Entry entry = next.get();
        Run run = open(entry, trustedKeys);
        runs.add(run);
        String previous = run.record().previousManifestDigest();
        if (previous == null) {
          break;
        }
        while (!byDigest.containsKey(previous) && entries.hasNext()) {
          RunRegistry.Entry older = entries.next();
          byDigest.put(older.manifestDigest(), older);
        }
        next = Optional.ofNullable(byDigest.get(previous));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(runs);
  }

  private Run open(RunRegistry.Entry entry, Optional<List<PublicKey>> trustedKeys) throws IOException {
    byte[] bytes = store.manifestBytes(entry.runId(), entry.manifestDigest())
        .orElseThrow(() -> new IOException("the manifest of run " + entry.runId() + " is gone"));
    try {
      if (trustedKeys.isEmpty()) {
        RunManifest.Opened opened = RunManifest.openUnverified(bytes);
        return new Run(entry, opened.record(), opened.signed() ? Signature.NOT_CHECKED : Signature.UNSIGNED);
      }
      RunManifest.Opened opened = RunManifest.open(bytes, trustedKeys.get());
      return new Run(entry, opened.record(), opened.signed() ? Signature.SIGNED : Signature.UNSIGNED);
    } catch (RunManifest.ManifestException e) {
      throw Errors.untrustedManifest(store.location(entry.runId()).toString(), e.getMessage());
    }
  }

  /** {@code entries} as read, each also remembered by manifest digest. */
  private static Iterator<RunRegistry.Entry> collecting(Iterator<RunRegistry.Entry> entries,
      Map<String, RunRegistry.Entry> byDigest) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return entries.hasNext();
      }

      @Override
      public RunRegistry.Entry next() {
        RunRegistry.Entry entry = entries.next();
        byDigest.put(entry.manifestDigest(), entry);
        return entry;
      }
    };
  }
}
