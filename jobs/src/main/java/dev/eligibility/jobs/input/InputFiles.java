package dev.eligibility.jobs.input;

import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.spec.TableInput;
import dev.eligibility.lineage.InputFile;
import dev.eligibility.lineage.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The exact files of a non-Delta input, with their sizes and SHA-256.
 *
 * <p>The files are the ones Spark's own file index lists for the path (hidden and {@code _}
 * files skipped, partition directories followed), so the run reads exactly the list it records.
 * Hashing streams each file once through the driver: plain JSON, CSV and Parquet inputs are
 * reference tables and samples; a corpus large enough for that to matter belongs in Delta, whose
 * version pins its files.
 */
public final class InputFiles {

  private static final int BUFFER = 1 << 20;

  private InputFiles() {}

  /** The input's files in path order, each hashed. */
  public static List<InputFile> of(SparkSession spark, TableInput input, String label) {
    String[] paths = listed(spark, input, label);
    Arrays.sort(paths);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    return Arrays.stream(paths).map(path -> hashed(conf, path, label)).toList();
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

  private static InputFile hashed(Configuration conf, String file, String label) {
    Path path = new Path(file);
    try {
      FileSystem fs = path.getFileSystem(conf);
      FileStatus status = fs.getFileStatus(path);
      MessageDigest sha = Sha256.newDigest();
      byte[] buffer = new byte[BUFFER];
      try (InputStream in = fs.open(path)) {
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          sha.update(buffer, 0, n);
        }
      }
      return new InputFile(file, status.getLen(), Sha256.hex(sha.digest()));
    } catch (IOException e) {
      throw Errors.infrastructure("Failed reading " + label + " file " + file, e);
    }
  }
}
