package dev.eligibility.jobs.input;

import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.spec.TableInput;
import dev.eligibility.lineage.InputFile;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * The exact files of a non-Delta input, with their sizes and SHA-256.
 *
 * <p>The files are the ones Spark's own file index lists for the path (hidden and {@code _}
 * files skipped, partition directories followed), so the run reads exactly the list it records.
 * Each file is streamed once by one executor task ({@link TextFileScan}), which hashes it and
 * checks JSON Lines and CSV line by line; only a small result per file reaches the driver.
 */
public final class InputFiles {

  private InputFiles() {}

  /** The input's files in path order, each hashed, with what a scan of their lines found (JSON Lines, CSV). */
  record Scanned(List<InputFile> files, List<TextFileScan.FileScan> scans) {

    /** Data lines in all files; meaningful for JSON Lines and CSV only. */
    long records() {
      return scans.stream().mapToLong(TextFileScan.FileScan::records).sum();
    }

    /** The contract's columns that some line of some file names (JSON Lines), in name order. */
    List<String> contractColumnsSeen() {
      return scans.stream().flatMap(scan -> scan.contractColumnsSeen().stream()).distinct().sorted().toList();
    }
  }

  /**
   * The input's files in path order, each read once on an executor (one task per file): hashed,
   * and for JSON Lines and CSV checked line by line against {@code contract}.
   */
  static Scanned of(SparkSession spark, TableInput input, String label, TableContract contract) {
    List<String> paths = Arrays.stream(listed(spark, input, label)).sorted().toList();
    List<TextFileScan.FileScan> scans;
    try {
      scans = TextFileScan.scan(spark, paths, input.format(), contract);
    } catch (Exception e) { // a task's failure comes back as Spark's (checked) SparkException, undeclared
      if (e instanceof org.apache.spark.SparkException) {
        throw Errors.infrastructure("Failed reading the files of " + label, e);
      }
      throw e;
    }
    List<InputFile> files = scans.stream().map(s -> new InputFile(s.path(), s.size(), s.sha256())).toList();
    return new Scanned(files, scans);
  }

  /** The paths Spark lists for the input, as Spark's file sources see it. */
  static String[] listed(SparkSession spark, TableInput input, String label) {
    try {
      String[] paths = spark.read().format("text").load(input.path()).inputFiles();
      if (paths.length == 0) {
        throw Errors.inputUnreadable(label, input.path(), "it holds no data files", null);
      }
      return paths;
    } catch (Exception e) {
      if (e instanceof org.apache.spark.sql.AnalysisException analysis) {
        throw Errors.inputUnreadable(label, input.path(), analysis.getSimpleMessage().lines().findFirst().orElse(""), e);
      }
      throw e;
    }
  }
}
