package dev.eligibility.jobs.publication;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outcome of a run attempt as a small JSON file where the scheduler asked for it
 * ({@code run --outcome-file URI}, any Hadoop file system): for schedulers that cannot read the
 * driver's exit code (cluster deploy mode), and for people. Committed or not, exit code, error
 * kind, whether a retry can help, and the error's message (this project's own, never data).
 * Outside the output root, so a failed run still writes nothing there. Informational: the
 * manifest stays the only commit point, and a file that cannot be written is logged, never a
 * failure of its own.
 */
public final class RunOutcomes {

  private static final Logger LOG = LoggerFactory.getLogger(RunOutcomes.class);
  private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).enable(SerializationFeature.INDENT_OUTPUT).build();

  /**
   * One attempt's outcome.
   *
   * @param outcome {@code COMMITTED} or {@code FAILED}
   * @param exitCode the exit code the command line ended with
   * @param errorKind for a failure, its kind ({@code SPEC}, {@code INPUT}, {@code CONFLICT},
   *     {@code INFRASTRUCTURE}, {@code BUSY}, {@code DRIFT}); null when committed
   * @param retry whether a plain retry of the attempt can succeed (infrastructure, busy root)
   * @param message what the console said, or the manifest written
   */
  public record Outcome(String runId, String outcome, int exitCode, String errorKind, boolean retry, Instant startedAt,
      Instant endedAt, String message) {}

  private final Path path;
  private final Configuration hadoopConf;

  public RunOutcomes(String uri, Configuration hadoopConf) {
    this.path = new Path(uri);
    this.hadoopConf = hadoopConf;
  }

  /** Writes {@code outcome} to the file, replacing what an earlier attempt wrote; never throws. */
  public void record(Outcome outcome) {
    try {
      FileSystem fs = path.getFileSystem(hadoopConf);
      if (path.getParent() != null) {
        fs.mkdirs(path.getParent());
      }
      try (OutputStream out = fs.create(path, true)) {
        out.write(JSON.writeValueAsBytes(outcome));
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("The outcome of run {} could not be recorded at {}: {}", outcome.runId(), path, e.getClass().getSimpleName());
    }
  }
}
