package dev.eligibility.jobs.run;

import dev.eligibility.jobs.evidence.LeafFiles;
import dev.eligibility.lineage.DatasetDigest;
import dev.eligibility.lineage.DigestAlgorithm;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.util.AccumulatorV2;

/**
 * Digest sums gathered by the tasks of {@link EligibleRowsPass}: one per corpus input and one of
 * the eligible rows. A task adds to its own copy ({@link #value()}); Spark merges the copies of
 * successful result tasks on the driver, once per partition.
 */
final class DigestSums extends AccumulatorV2<DigestSums.Sums, DigestSums.Sums> {

  private static final long serialVersionUID = 2L;

  private Sums sums;

  DigestSums(int inputCount, DigestAlgorithm algorithm) {
    this.sums = new Sums(inputCount, algorithm);
  }

  /**
   * The sums: per corpus input (in the run's order) and of the eligible rows; and the files of
   * Merkle leaves the tasks wrote ({@link LeafFiles}), one a task that produced an eligible row.
   */
  record Sums(DatasetDigest[] inputs, DatasetDigest eligible, List<LeafFiles.Written> leafFiles) implements Serializable {
    Sums(int inputCount, DigestAlgorithm algorithm) {
      this(emptyDigests(inputCount, algorithm), algorithm.empty(), new ArrayList<>());
    }

    private static DatasetDigest[] emptyDigests(int count, DigestAlgorithm algorithm) {
      DatasetDigest[] digests = new DatasetDigest[count];
      for (int i = 0; i < count; i++) {
        digests[i] = algorithm.empty();
      }
      return digests;
    }

    void merge(Sums other) {
      for (int i = 0; i < inputs.length; i++) {
        inputs[i].merge(other.inputs[i]);
      }
      eligible.merge(other.eligible);
      leafFiles.addAll(other.leafFiles);
    }

    /**
     * What Spark's status listener shows for the accumulator. It runs on another thread than the
     * one merging task results into these sums, so it reads no element of them (iterating the
     * leaf files while a merge adds one throws ConcurrentModificationException).
     */
    @Override
    public String toString() {
      return "digest sums of " + inputs.length + " corpus inputs and the eligible rows";
    }

    boolean isEmpty() {
      if (eligible.count() != 0 || !leafFiles.isEmpty()) {
        return false;
      }
      for (DatasetDigest input : inputs) {
        if (input.count() != 0) {
          return false;
        }
      }
      return true;
    }
  }

  @Override
  public boolean isZero() {
    return sums.isEmpty();
  }

  @Override
  public DigestSums copy() {
    DigestSums copy = new DigestSums(sums.inputs().length, sums.eligible().algorithm());
    copy.sums.merge(sums);
    return copy;
  }

  @Override
  public void reset() {
    sums = new Sums(sums.inputs().length, sums.eligible().algorithm());
  }

  @Override
  public void add(Sums more) {
    sums.merge(more);
  }

  @Override
  public void merge(AccumulatorV2<Sums, Sums> other) {
    sums.merge(other.value());
  }

  @Override
  public Sums value() {
    return sums;
  }
}
