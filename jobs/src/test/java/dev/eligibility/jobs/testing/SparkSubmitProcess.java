package dev.eligibility.jobs.testing;

import dev.eligibility.jobs.cli.EligibilityCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The jar {@code mvn package} builds, submitted with Spark's own {@code SparkSubmit} from the
 * Spark distribution the build assembles under {@code target/spark-home}, as its own process: the
 * way a user runs the job. For the integration tests (run after {@code package}).
 */
public final class SparkSubmitProcess {

  public static final Path SPARK_HOME = Path.of("target", "spark-home").toAbsolutePath();
  public static final Path CONF = Path.of("..", "conf").toAbsolutePath().normalize();

  private SparkSubmitProcess() {}

  /** How a submitted command ended: its exit code and everything it printed. */
  public record Submitted(int exitCode, String console) {}

  /** A submit that is still running (for tests that stop parts of it). */
  public record Running(Process process, Path log) {

    public Submitted await() throws IOException, InterruptedException {
      if (!process.waitFor(10, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new AssertionError("spark-submit did not finish in 10 minutes:\n" + Files.readString(log));
      }
      return new Submitted(process.exitValue(), Files.readString(log));
    }

    public String consoleSoFar() throws IOException {
      return Files.readString(log);
    }
  }

  /** {@code spark-submit --master MASTER [settings] <jar> run --unsigned --spec SPEC}, to its end. */
  public static Submitted submit(String master, Path spec, List<String> settings, Map<String, String> environment)
      throws IOException, InterruptedException {
    return start(master, settings, environment, spec.getParent(), "run", "--unsigned", "--spec", spec.toString()).await();
  }

  /** Starts {@code spark-submit --master MASTER [settings] <jar> ARGS}; its console goes to a file in {@code logFolder}. */
  public static Running start(String master, List<String> settings, Map<String, String> environment, Path logFolder,
      String... args) throws IOException {
    return start(List.of(), master, settings, environment, logFolder, args);
  }

  /**
   * As {@link #start(String, List, Map, Path, String...)}, with {@code jvmOptions} for the driver's
   * JVM, which is the submitting JVM itself (client mode), so {@code --driver-java-options} would
   * not reach it.
   */
  public static Running start(List<String> jvmOptions, String master, List<String> settings,
      Map<String, String> environment, Path logFolder, String... args) throws IOException {
    Path jar;
    try (Stream<Path> jars = Files.list(Path.of("target"))) {
      jar = jars.filter(p -> p.getFileName().toString().endsWith("-spark.jar")).findFirst().orElseThrow();
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("@" + CONF.resolve("spark-java17.jvmopts"));
    command.add("-Dlog4j2.configurationFile=" + CONF.resolve("log4j2.properties"));
    List<String> startup = StartupOptions.next();
    command.addAll(startup);
    command.addAll(jvmOptions);
    // Jars only: the log4j2 configuration is named above, and a classpath holding a non-empty
    // folder (the test SPARK_HOME's conf/, which its executors read) makes the JVM refuse to
    // write a class-data sharing archive ("Cannot have non-empty directory in paths").
    command.addAll(List.of("-cp", SPARK_HOME.resolve("jars") + "/*",
        "org.apache.spark.deploy.SparkSubmit", "--master", master,
        "--conf", "spark.ui.enabled=false", "--conf", "spark.sql.shuffle.partitions=4",
        // As conf/spark-local.conf: a one-partition Delta snapshot, a fifth off a sample run.
        "--conf", "spark.databricks.delta.snapshotPartitions=1",
        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.executor.memory=768m"));
    command.addAll(settings);
    command.addAll(List.of("--class", EligibilityCli.class.getName(), jar.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(logFolder, "spark-submit", ".log");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("SPARK_HOME", SPARK_HOME.toString());
    builder.environment().put("SPARK_SCALA_VERSION", "2.12");
    builder.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    builder.environment().putAll(environment);
    Process process = builder.start();
    StartupOptions.started(process, startup);
    return new Running(process, log);
  }

  /**
   * What the jobs launcher does for a local run's start, for the submitting JVMs the tests start
   * (each a cold JVM running a small run): the quick JIT compiler only, and a class-data sharing
   * archive of the test Spark distribution's classes ({@code target/spark-submit-cds.jsa}), written
   * by the first submit that ends normally and mapped by every later one. A submit halted by fault
   * injection writes none; the next submit tries again.
   */
  private static final class StartupOptions {

    static final Path ARCHIVE = SPARK_HOME.resolveSibling("spark-submit-cds.jsa");
    static final List<String> QUIET = List.of("-XX:TieredStopAtLevel=1", "-Xlog:cds*=off", "-Xlog:class+path=off");

    private static Path pending;
    private static Process writer;

    private StartupOptions() {}

    static synchronized List<String> next() {
      settlePending();
      List<String> options = new ArrayList<>(QUIET);
      if (Files.isRegularFile(ARCHIVE)) {
        options.addAll(List.of("-XX:SharedArchiveFile=" + ARCHIVE, "-Xshare:auto"));
      } else if (pending == null) {
        pending = ARCHIVE.resolveSibling(ARCHIVE.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        options.add("-XX:ArchiveClassesAtExit=" + pending);
      }
      return options;
    }

    /**
     * Remembers {@code process} as the archive's writer when {@code options} (what {@link #next}
     * gave it) told it to write: submits started side by side may reach here in any order.
     */
    static synchronized void started(Process process, List<String> options) {
      if (pending != null && options.contains("-XX:ArchiveClassesAtExit=" + pending)) {
        writer = process;
      }
    }

    /** Moves the archive in place once its writer has ended; forgets a writer that wrote none. */
    private static void settlePending() {
      if (pending == null || writer == null || writer.isAlive()) {
        return;
      }
      try {
        if (Files.isRegularFile(pending) && Files.size(pending) > 0) {
          Files.move(pending, ARCHIVE, StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (IOException e) {
        // No archive: later submits start without one, as the first did.
      } finally {
        try {
          Files.deleteIfExists(pending);
        } catch (IOException ignored) {
          // a leftover temporary file under target/ only
        }
        pending = null;
        writer = null;
      }
    }
  }
}
