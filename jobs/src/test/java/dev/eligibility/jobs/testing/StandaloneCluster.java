package dev.eligibility.jobs.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Spark standalone cluster of separate processes from the test SPARK_HOME: a master on
 * 127.0.0.1 and one single-core worker per given loopback address (127.0.0.2, 127.0.0.3, ...),
 * so that their executors report different hosts, as on a real cluster (Spark never runs a
 * speculative copy of a task on the host of its first attempt, and the executors of
 * {@code local-cluster} all share one host).
 */
public final class StandaloneCluster implements AutoCloseable {

  private static final Pattern MASTER_URL = Pattern.compile("Starting Spark master at (spark://127\\.0\\.0\\.1:\\d+)");

  private final List<Process> processes = new ArrayList<>();
  private String masterUrl;
  private Path logging;

  private StandaloneCluster() {}

  /** Starts the master and the workers, and returns once every worker has registered. */
  public static StandaloneCluster start(Path folder, List<String> workerHosts) throws IOException, InterruptedException {
    StandaloneCluster cluster = new StandaloneCluster();
    // The master and workers say at INFO where they listen and when they registered.
    cluster.logging = folder.resolve("log4j2-cluster.properties");
    Files.writeString(cluster.logging, String.join("\n",
        "rootLogger.level = info", "rootLogger.appenderRef.console.ref = console",
        "appender.console.type = Console", "appender.console.name = console",
        "appender.console.layout.type = PatternLayout", "appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n", ""));
    try {
      Path masterLog = folder.resolve("master.log");
      cluster.launch(masterLog, "127.0.0.1", "org.apache.spark.deploy.master.Master",
          "--host", "127.0.0.1", "--port", "0", "--webui-port", "0");
      cluster.masterUrl = cluster.await(masterLog, MASTER_URL).group(1);
      for (String host : workerHosts) {
        Path workerLog = folder.resolve("worker-" + host + ".log");
        Path work = Files.createDirectories(folder.resolve("work-" + host));
        cluster.launch(workerLog, host, "org.apache.spark.deploy.worker.Worker", "--host", host, "--port", "0",
            "--webui-port", "0", "--cores", "1", "--memory", "1g", "--work-dir", work.toString(), cluster.masterUrl);
        cluster.await(workerLog, Pattern.compile("Successfully registered with master"));
      }
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  public String masterUrl() {
    return masterUrl;
  }

  private void launch(Path log, String host, String mainClass, String... args) throws IOException {
    Path sparkHome = SparkSubmitProcess.SPARK_HOME;
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "@" + SparkSubmitProcess.CONF.resolve("spark-java17.jvmopts"), "-Xmx256m",
        "-Dlog4j2.configurationFile=" + logging, "-Dspark.ui.enabled=false",
        "-cp", sparkHome.resolve("conf") + File.pathSeparator + sparkHome.resolve("jars") + "/*", mainClass));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("SPARK_HOME", sparkHome.toString());
    builder.environment().put("SPARK_SCALA_VERSION", "2.12");
    builder.environment().put("SPARK_LOCAL_IP", host);
    processes.add(builder.start());
  }

  private Matcher await(Path log, Pattern line) throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
    while (Instant.now().isBefore(deadline)) {
      Matcher found = line.matcher(Files.readString(log));
      if (found.find()) {
        return found;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("no '" + line + "' in " + log + " within a minute:\n" + Files.readString(log));
  }

  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).descendants().forEach(ProcessHandle::destroyForcibly);
      processes.get(i).destroyForcibly();
    }
  }
}
