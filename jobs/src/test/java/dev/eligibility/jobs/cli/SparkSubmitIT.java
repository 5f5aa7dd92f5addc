package dev.eligibility.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.model.S3ObjectSummary;
import dev.eligibility.jobs.testing.S3ProxyServer;
import dev.eligibility.jobs.testing.SampleWorkspace;
import dev.eligibility.jobs.testing.SparkSubmitProcess;
import dev.eligibility.jobs.testing.StandaloneCluster;
import dev.eligibility.jobs.testing.TcpRelay;
import dev.eligibility.jobs.run.FaultInjection;
import dev.eligibility.jobs.testing.SparkSubmitProcess.Submitted;
import dev.eligibility.lineage.InputSnapshot;
import dev.eligibility.lineage.OutputSnapshot;
import dev.eligibility.lineage.RunManifest;
import dev.eligibility.lineage.RunRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar {@code mvn package} builds, submitted with Spark's own {@code SparkSubmit} from a
 * Spark distribution the build assembles under {@code target/spark-home} (Spark's jars only:
 * Delta, picocli, the YAML reader and the project's code must all come from the jar). The
 * sample {@code BASE_MODEL} run goes through local Spark, through a multi-process cluster
 * (executors in their own JVMs) and through s3a:// against a real S3 server; every run's
 * outputs must hash exactly like the local one's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkSubmitIT {

  static final Path SPARK_HOME = SparkSubmitProcess.SPARK_HOME;
  static final Path CONF = SparkSubmitProcess.CONF;

  @TempDir
  static Path folder;

  SampleWorkspace workspace;
  RunRecord local;

  @BeforeAll
  void runTheSampleOnLocalSpark() throws Exception {
    workspace = SampleWorkspace.create(folder.resolve("samples"));
    Path output = folder.resolve("local");
    Submitted run = submit("local[2]", workspace.spec("base-model", output, s -> s), List.of(), Map.of());
    assertThat(run.exitCode()).as(run.console()).isZero();
    local = manifest(Files.readAllBytes(output.resolve("manifests/sample-base-model.json")));
  }

  @Test
  void theJarRunsTheBaseModelSampleOnSparkAlone() {
    assertThat(local.counts().eligible()).isEqualTo(7);
    assertThat(local.counts().excluded()).isEqualTo(23);
    assertThat(local.run().sparkApplicationId()).startsWith("local-");
  }

  @Test
  void onAMultiProcessClusterWithA512MbDriverWhoseExecutorIsKilledWhileDecidingTheOutputsHashAsOnLocalSpark()
      throws Exception {
    Path output = folder.resolve("cluster");
    Instant started = Instant.now();
    // A 512 MB driver heap: nothing the driver holds grows with the data (the payload and the
    // decided rows stay on the executors); the same settings serve any corpus size.
    SparkSubmitProcess.Running running = SparkSubmitProcess.start(List.of("-Xmx512m"), "local-cluster[2,1,1024]",
        List.of(), Map.of(), folder, "run", "--unsigned", "--spec",
        workspace.spec("base-model", output, s -> s).toString());
    Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
    while (!running.consoleSoFar().contains("[3/5] Deciding eligibility") && Instant.now().isBefore(deadline)) {
      assertThat(running.process().isAlive()).as(running.consoleSoFar()).isTrue();
      Thread.sleep(100);
    }
    // The standalone worker runs each executor as a child JVM of the driver's process.
    List<ProcessHandle> executors = running.process().descendants()
        .filter(p -> p.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend")).toList();
    assertThat(executors).as("executor JVMs while deciding").hasSizeGreaterThanOrEqualTo(2);
    ProcessHandle victim = executors.get(0);
    assertThat(victim.destroyForcibly()).isTrue(); // SIGKILL, mid-decision
    victim.onExit().get(30, TimeUnit.SECONDS);

    Submitted run = running.await();
    System.out.printf("local-cluster run: %d s%n", Duration.between(started, Instant.now()).toSeconds());
    assertThat(run.exitCode()).as(run.console()).isZero();
    assertThat(run.console()).as("Spark saw the executor go")
        .containsPattern("(?i)lost executor|executor \\d+ .*exited|ExecutorLostFailure|Executor .* removed");

    RunRecord cluster = manifest(Files.readAllBytes(output.resolve("manifests/sample-base-model.json")));
    String application = cluster.run().sparkApplicationId();
    assertThat(application).startsWith("app-");
    // The worker started each executor as its own JVM, in its own work folder.
    try (Stream<Path> folders = Files.list(SPARK_HOME.resolve("work").resolve(application))) {
      assertThat(folders.map(p -> p.getFileName().toString())).contains("0", "1");
    }
    assertSameData(cluster, local);
  }

  @Test
  void aStragglerSpeculativelyRunTwiceOnAStandaloneClusterChangesNothing() throws Exception {
    Path output = folder.resolve("speculation");
    Path eventLog = Files.createDirectories(folder.resolve("speculation-events"));
    try (StandaloneCluster cluster = StandaloneCluster.start(Files.createDirectories(folder.resolve("standalone")),
        List.of("127.0.0.2", "127.0.0.3"))) {
      Submitted run = SparkSubmitProcess.start(cluster.masterUrl(), List.of(
              "--conf", "spark.cores.max=2", "--conf", "spark.executor.cores=1",
              "--conf", "spark.speculation=true", "--conf", "spark.speculation.interval=200ms",
              "--conf", "spark.speculation.quantile=0.5", "--conf", "spark.speculation.multiplier=1.5",
              "--conf", "spark.speculation.minTaskRuntime=1s", "--conf", "spark.speculation.task.duration.threshold=3s",
              // The first attempt of one task of the digest pass is a straggler: 60 s.
              "--conf", "spark.executor.extraJavaOptions=-D" + FaultInjection.SLOW_FIRST_ATTEMPT + "=60",
              "--conf", "spark.eventLog.enabled=true", "--conf", "spark.eventLog.dir=" + eventLog.toUri()),
          Map.of(), folder, "run", "--unsigned", "--spec", workspace.spec("base-model", output, s -> s).toString()).await();
      assertThat(run.exitCode()).as(run.console()).isZero();
    }
    RunRecord speculated = manifest(Files.readAllBytes(output.resolve("manifests/sample-base-model.json")));
    assertSameData(speculated, local);
    String events;
    try (Stream<Path> files = Files.list(eventLog)) {
      events = files.map(f -> {
        try {
          return Files.readString(f);
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }).collect(Collectors.joining("\n"));
    }
    assertThat(events).as("Spark ran a speculative copy of the straggler").contains("\"Speculative\":true");
    // The counts come from the committed tables too, not from any attempt's side effects.
    var spark = dev.eligibility.jobs.testing.TestSpark.session();
    OutputSnapshot eligible = speculated.output("eligible").orElseThrow();
    OutputSnapshot exclusions = speculated.output("exclusions").orElseThrow();
    assertThat(spark.read().format("delta").option("versionAsOf", eligible.deltaVersion()).load(eligible.path()).count())
        .isEqualTo(speculated.counts().eligible());
    assertThat(spark.read().format("delta").option("versionAsOf", exclusions.deltaVersion()).load(exclusions.path())
        .count()).isEqualTo(speculated.counts().excluded());
  }

  @Test
  void throughS3aAgainstARealS3ServerTheOutputsHashAsOnLocalDisk() throws Exception {
    try (S3ProxyServer s3 = S3ProxyServer.start(folder.resolve("s3"), List.of("samples", "training"))) {
      Path spec = uploadSamples(s3, "base-model");
      Instant started = Instant.now();
      Submitted run = submit("local[2]", spec, s3Settings(s3, List.of()), credentials(s3));
      System.out.printf("s3a run: %d s%n", Duration.between(started, Instant.now()).toSeconds());
      assertThat(run.exitCode()).as(run.console()).isZero();
      assertThat(run.console()).doesNotContain(s3.secretKey());

      AmazonS3 client = s3.client();
      RunRecord onS3 = manifest(client.getObject("training", "base-model/manifests/sample-base-model.json")
          .getObjectContent().readAllBytes());
      assertThat(onS3.outputs()).extracting(OutputSnapshot::path).allMatch(p -> p.startsWith("s3a://training/"));
      assertThat(onS3.inputs()).extracting(InputSnapshot::path).allMatch(p -> p.startsWith("s3a://samples/"));
      assertSameData(onS3, local);
      List<String> written = client.listObjectsV2("training").getObjectSummaries().stream().map(S3ObjectSummary::getKey).toList();
      assertThat(written).contains("base-model/eligible/_delta_log/00000000000000000000.json",
          "base-model/exclusions/_delta_log/00000000000000000000.json");
      for (String key : written) {
        assertThat(new String(client.getObject("training", key).getObjectContent().readAllBytes(),
            java.nio.charset.StandardCharsets.ISO_8859_1)).as("credentials in " + key).doesNotContain(s3.secretKey());
      }
    }
  }

  @Test
  void anS3EndpointLostMidWriteFailsTheRunAndARetryCommits() throws Exception {
    try (S3ProxyServer s3 = S3ProxyServer.start(folder.resolve("s3-lost"), List.of("samples", "training"));
        TcpRelay network = TcpRelay.to(s3.port())) {
      Path spec = uploadSamples(s3, "lost");
      List<String> settings = new ArrayList<>(s3Settings(s3, List.of(
          "--conf", "spark.eligibility.claim.leaseSeconds=10", "--conf", "spark.eligibility.claim.renewSeconds=2")));
      // The job reaches the server through the relay, which the test cuts while the run writes.
      settings.addAll(List.of("--conf", "spark.hadoop.fs.s3a.endpoint=http://127.0.0.1:" + network.port()));
      SparkSubmitProcess.Running running = SparkSubmitProcess.start("local[2]", settings, credentials(s3), folder,
          "run", "--unsigned", "--spec", spec.toString());
      Instant deadline = Instant.now().plus(Duration.ofMinutes(5));
      while (!running.consoleSoFar().contains("[4/5] Writing") && Instant.now().isBefore(deadline)) {
        assertThat(running.process().isAlive()).as(running.consoleSoFar()).isTrue();
        Thread.sleep(50);
      }
      network.cut();
      Submitted failed = running.await();
      network.restore();
      assertThat(failed.exitCode()).as(failed.console()).isEqualTo(5);
      assertThat(failed.console()).contains("Nothing was committed").doesNotContain(s3.secretKey());
      AmazonS3 client = s3.client();
      assertThat(client.doesObjectExist("training", "lost/manifests/sample-base-model.json")).isFalse();

      Submitted retry = submit("local[2]", spec, settings, credentials(s3));
      assertThat(retry.exitCode()).as(retry.console()).isZero();
      assertSameDigests(manifest(client.getObject("training", "lost/manifests/sample-base-model.json")
          .getObjectContent().readAllBytes()), local);
    }
  }

  /** The sample inputs in bucket {@code samples}, and the sample spec reading them, writing to {@code training/<prefix>}. */
  private Path uploadSamples(S3ProxyServer s3, String prefix) throws IOException {
    Configuration hadoop = new Configuration();
    s3aSettings(s3).forEach(hadoop::set);
    hadoop.set("fs.s3a.directory.marker.retention", "keep"); // as conf/spark-s3.conf
    hadoop.set("fs.s3a.access.key", s3.accessKey()); // the test's own upload only
    hadoop.set("fs.s3a.secret.key", s3.secretKey());
    try (FileSystem bucket = FileSystem.newInstance(java.net.URI.create("s3a://samples/"), hadoop)) {
      for (String sub : List.of("corpus", "reference")) {
        bucket.copyFromLocalFile(new org.apache.hadoop.fs.Path(workspace.file(sub).toUri()),
            new org.apache.hadoop.fs.Path("s3a://samples/"));
      }
    }
    return workspace.spec("base-model", folder.resolve("unused"), s -> s
        .replace("../corpus/", "s3a://samples/corpus/")
        .replace("../reference/", "s3a://samples/reference/")
        .replaceAll("output: \\{root: [^}]*}", "output: {root: s3a://training/" + prefix + "}"));
  }

  /** What a user passes to spark-submit for this server: s3a settings, Hadoop AWS, no credentials. */
  private static List<String> s3Settings(S3ProxyServer s3, List<String> more) throws IOException {
    List<String> settings = new ArrayList<>();
    settings.addAll(List.of("--properties-file", CONF.resolve("spark-s3.conf").toString()));
    s3aSettings(s3).forEach((key, value) -> settings.addAll(List.of("--conf", "spark.hadoop." + key + "=" + value)));
    settings.addAll(List.of("--jars", s3aJars()));
    settings.addAll(more);
    return settings;
  }

  /** Credentials reach the job through its environment only. */
  private static Map<String, String> credentials(S3ProxyServer s3) {
    return Map.of("AWS_ACCESS_KEY_ID", s3.accessKey(), "AWS_SECRET_ACCESS_KEY", s3.secretKey());
  }

  /** Same rows out (digests, Merkle root, counts); versions may differ after failed attempts. */
  static void assertSameDigests(RunRecord actual, RunRecord expected) {
    FaultInjectionIT.assertSameDigests(actual, expected);
  }

  /** Same outputs (digests, Merkle root, versions, counts) from the same inputs (digests, rows). */
  static void assertSameData(RunRecord actual, RunRecord expected) {
    assertThat(actual.outputs()).extracting(OutputSnapshot::table, OutputSnapshot::deltaVersion,
            OutputSnapshot::rowCount, OutputSnapshot::datasetDigest, OutputSnapshot::merkleRoot)
        .containsExactlyElementsOf(expected.outputs().stream()
            .map(o -> org.assertj.core.groups.Tuple.tuple(o.table(), o.deltaVersion(), o.rowCount(),
                o.datasetDigest(), o.merkleRoot()))
            .toList());
    assertThat(actual.inputs()).extracting(InputSnapshot::name, InputSnapshot::rowCount, InputSnapshot::datasetDigest)
        .containsExactlyElementsOf(expected.inputs().stream()
            .map(i -> org.assertj.core.groups.Tuple.tuple(i.name(), i.rowCount(), i.datasetDigest()))
            .toList());
    assertThat(actual.counts()).isEqualTo(expected.counts());
    assertThat(actual.eligibleRowsByOrganization()).isEqualTo(expected.eligibleRowsByOrganization());
  }

  /** The s3a settings of a user of this server, less credentials (those come from the environment). */
  static Map<String, String> s3aSettings(S3ProxyServer s3) {
    return Map.of(
        "fs.s3a.endpoint", s3.endpoint(),
        "fs.s3a.endpoint.region", "us-east-1",
        "fs.s3a.path.style.access", "true",
        // A failure on loopback is not transient: fail in seconds, not after minutes of retries.
        "fs.s3a.attempts.maximum", "2",
        "fs.s3a.retry.limit", "2");
  }

  static String s3aJars() throws IOException {
    try (Stream<Path> jars = Files.list(Path.of("target", "s3a-jars"))) {
      return jars.map(p -> p.toAbsolutePath().toString()).sorted().collect(Collectors.joining(","));
    }
  }

  static RunRecord manifest(byte[] bytes) throws RunManifest.ManifestException {
    RunManifest.Opened manifest = RunManifest.open(bytes, List.of());
    assertThat(manifest.signed()).isFalse();
    return manifest.record();
  }

  static Submitted submit(String master, Path spec, List<String> settings, Map<String, String> environment)
      throws IOException, InterruptedException {
    return SparkSubmitProcess.submit(master, spec, settings, environment);
  }
}
