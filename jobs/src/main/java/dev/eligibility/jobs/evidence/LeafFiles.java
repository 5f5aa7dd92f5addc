package dev.eligibility.jobs.evidence;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;
import org.apache.spark.util.SerializableConfiguration;

/**
 * The Merkle leaves of the eligible rows ({@code record_id}, {@code row_digest}), kept aside by the
 * tasks that write those rows, so that the eligible set's Merkle root can bind each row's content
 * without reading the payload again.
 *
 * <p>Each task of the eligible pass that produces an eligible row writes its leaves to a file of
 * its own (named by stage, partition and attempt) in a scratch folder; when the task has produced
 * its last row, it closes the file and reports it. Only successful tasks' reports reach the driver
 * (they travel in an accumulator, which Spark applies once per partition), so a failed or
 * speculative attempt's file is never read. The files are narrow: a record id and 32 bytes a row.
 * The driver holds their names, one a partition, never a leaf.
 */
public final class LeafFiles {

  /** The leaves as rows. */
  public static final StructType SCHEMA = new StructType()
      .add("record_id", DataTypes.StringType, false)
      .add("row_digest", DataTypes.BinaryType, false);

  private LeafFiles() {}

  /** A closed leaf file and the number of leaves in it. */
  public record Written(String path, long leaves) implements Serializable {}

  /** Where the tasks of one pass write their leaves, and the Hadoop settings to write with. */
  public record Folder(String path, SerializableConfiguration hadoop) implements Serializable {

    public static Folder of(SparkSession spark, String path) {
      return new Folder(path, new SerializableConfiguration(spark.sparkContext().hadoopConfiguration()));
    }

    /** The writer of the running task's file; it creates the file at its first leaf. */
    public Writer writer() {
      TaskContext task = TaskContext.get();
      String name = task == null ? "leaves-driver"
          : "leaves-" + task.stageId() + "-" + task.partitionId() + "-" + task.attemptNumber() + "-" + task.taskAttemptId();
      return new Writer(new Path(path, name), hadoop);
    }

    /** Deletes the folder and every file in it. */
    public void delete() {
      try {
        Path folder = new Path(path);
        folder.getFileSystem(hadoop.value()).delete(folder, true);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete the Merkle leaves under " + path, e);
      }
    }
  }

  /** One task's leaf file: each leaf is the id's UTF-8 length (4 bytes), the id and the 32-byte row digest. */
  public static final class Writer {
    private final Path path;
    private final SerializableConfiguration hadoop;
    private DataOutputStream out;
    private long leaves;

    private Writer(Path path, SerializableConfiguration hadoop) {
      this.path = path;
      this.hadoop = hadoop;
    }

    public void add(UTF8String recordId, byte[] rowDigest) {
      try {
        if (out == null) {
          FSDataOutputStream file = path.getFileSystem(hadoop.value()).create(path, true);
          out = new DataOutputStream(new BufferedOutputStream(file, 1 << 16));
        }
        byte[] id = recordId.getBytes();
        out.writeInt(id.length);
        out.write(id);
        out.write(rowDigest, 0, 32);
        leaves++;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write Merkle leaves to " + path, e);
      }
    }

    /** Closes the file; empty when no leaf was written (and no file made). */
    public Optional<Written> close() {
      if (out == null) {
        return Optional.empty();
      }
      try {
        out.close();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write Merkle leaves to " + path, e);
      }
      out = null;
      return Optional.of(new Written(path.toString(), leaves));
    }
  }

  /** The leaves of {@code files} as rows of {@link #SCHEMA}, read by the executors. */
  public static Dataset<Row> read(SparkSession spark, Folder folder, List<Written> files) {
    List<String> paths = files.stream().map(Written::path).toList();
    JavaRDD<Row> leaves = JavaSparkContext.fromSparkContext(spark.sparkContext())
        .parallelize(paths, Math.max(1, paths.size()))
        .flatMap(path -> leavesOf(new Path(path), folder.hadoop()));
    return spark.createDataFrame(leaves, SCHEMA);
  }

  private static Iterator<Row> leavesOf(Path path, SerializableConfiguration hadoop) throws IOException {
    FileSystem fs = path.getFileSystem(hadoop.value());
    return new LeafReader(new DataInputStream(new BufferedInputStream(fs.open(path), 1 << 16)), path);
  }

  /** The leaves of one file, read as they are asked for; the file is closed at its end. */
  private static final class LeafReader implements Iterator<Row> {
    private final DataInputStream in;
    private final Path path;
    private Row next;
    private boolean done;

    LeafReader(DataInputStream in, Path path) {
      this.in = in;
      this.path = path;
    }

    @Override
    public boolean hasNext() {
      if (next == null && !done) {
        next = read();
      }
      return next != null;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row row = next;
      next = null;
      return row;
    }

    private Row read() {
      try {
        int length;
        try {
          length = in.readInt();
        } catch (EOFException end) {
          done = true;
          in.close();
          return null;
        }
        byte[] id = new byte[length];
        in.readFully(id);
        byte[] digest = new byte[32];
        in.readFully(digest);
        return RowFactory.create(new String(id, StandardCharsets.UTF_8), digest);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the Merkle leaves in " + path, e);
      }
    }
  }
}
