package dev.eligibility.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.testing.SampleWorkspace;
import dev.eligibility.jobs.testing.SparkSubmitProcess;
import dev.eligibility.jobs.testing.SparkSubmitProcess.Submitted;
import dev.eligibility.jobs.testing.StandaloneCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job in cluster deploy mode, where its driver runs on a worker of a standalone master and its
 * exit code never reaches spark-submit (whose standalone client exits 0 whatever became of the
 * driver): a run that commits returns from main and the worker reports its driver finished
 * successfully; a run that fails throws from main, naming its exit code, and the worker reports the
 * driver failed. The driver's JVM gets Java 17's module openings from
 * {@code spark.driver.extraJavaOptions}, as a cluster-mode submission must give them.
 */
class ClusterDeployModeIT {

  @TempDir
  Path folder;

  @Test
  void aCommittedRunFinishesItsDriverAndAFailedOneFailsIt() throws Exception {
    SampleWorkspace workspace = SampleWorkspace.create(folder.resolve("samples"));
    Path output = folder.resolve("out");
    Path standalone = Files.createDirectories(folder.resolve("standalone"));
    String opens = String.join(" ", Files.readAllLines(SparkSubmitProcess.CONF.resolve("spark-java17.jvmopts")).stream()
        .filter(line -> !line.isBlank() && !line.startsWith("#")).toList());
    List<String> clusterMode = List.of("--deploy-mode", "cluster", "--conf", "spark.driver.extraJavaOptions=" + opens,
        "--conf", "spark.standalone.submit.waitAppCompletion=true",
        "--conf", "spark.driver.memory=512m", "--conf", "spark.driver.cores=1",
        "--conf", "spark.cores.max=1", "--conf", "spark.executor.cores=1", "--conf", "spark.executor.memory=512m");
    try (StandaloneCluster cluster = StandaloneCluster.start(standalone, List.of("127.0.0.2", "127.0.0.3"))) {
      Submitted committed = SparkSubmitProcess.start(cluster.masterUrl(), clusterMode, Map.of(), folder,
          "run", "--unsigned", "--spec", workspace.spec("base-model", output, s -> s).toString()).await();
      assertThat(committed.exitCode()).as(committed.console() + driverOutput(standalone)).isZero();
      assertThat(output.resolve("manifests/sample-base-model.json")).as(committed.console() + driverOutput(standalone))
          .exists();
      assertThat(driverOutput(standalone)).contains("Run sample-base-model committed");
      assertThat(workerLogs(standalone)).contains("exited successfully").doesNotContain("exited with failure");

      Path badSpec = workspace.spec("base-model", output, s -> s.replace("run_id: sample-base-model",
          "run_id: not-a-run\nrunid: typo"));
      Submitted failed = SparkSubmitProcess.start(cluster.masterUrl(), clusterMode, Map.of(), folder,
          "run", "--unsigned", "--spec", badSpec.toString()).await();
      assertThat(driverOutput(standalone)).as(failed.console()).contains("key 'runid' is not known")
          .contains("the command failed with exit code 2");
      assertThat(workerLogs(standalone)).as("the failed driver, as its worker reports it").contains("exited with failure");
    }
  }

  /** What the workers logged (each driver's end among it). */
  private static String workerLogs(Path standalone) throws IOException {
    try (Stream<Path> files = Files.list(standalone)) {
      return files.filter(f -> f.getFileName().toString().startsWith("worker-")).map(f -> {
        try {
          return Files.readString(f);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).collect(Collectors.joining("\n"));
    }
  }

  /** Everything the drivers the workers ran wrote to their stdout and stderr. */
  private static String driverOutput(Path standalone) throws IOException {
    try (Stream<Path> files = Files.walk(standalone)) {
      return files.filter(f -> f.getParent().getFileName().toString().startsWith("driver-"))
          .filter(f -> f.getFileName().toString().matches("stdout|stderr"))
          .map(f -> {
            try {
              return Files.readString(f);
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }).collect(Collectors.joining("\n"));
    }
  }
}
