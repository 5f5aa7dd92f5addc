package dev.eligibility.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.eligibility.jobs.spec.RunSpec;
import dev.eligibility.jobs.spec.RunSpecParser;
import dev.eligibility.jobs.spec.ScheduledNight;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.spark.deploy.SparkSubmitArguments;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import scala.collection.JavaConverters;

/**
 * The ready-to-edit nightly schedules in {@code conf/scheduling} against this build, so they
 * cannot rot silently: each names this build's main class and jar, passes arguments that this
 * build's command line accepts and that make the run of one night (run id from the date, as_of
 * from the fire time), and sets only configuration keys that this build's Spark knows or that
 * {@code conf/spark-s3.conf} documents. The EMR step and the Airflow task are read by Spark's own
 * spark-submit argument parser.
 */
class SchedulingDefinitionsTest {

  static final Path SCHEDULING = Path.of("..", "conf", "scheduling");
  static final String JAR = System.getProperty("eligibility.sparkJar");
  static final Instant NIGHT = Instant.parse("2026-11-25T02:00:00Z");
  /** The schedules start the run a little after their fire time. */
  static final Clock STARTED = Clock.fixed(NIGHT.plus(Duration.ofMinutes(7)), ZoneOffset.UTC);
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  static final ObjectMapper JSON = new ObjectMapper();
  /** Keys of Spark's cluster managers, whose modules this build does not include. */
  static final Set<String> PLATFORM_KEYS = Set.of(
      "spark.yarn.maxAppAttempts", "spark.yarn.appMasterEnv.ELIGIBILITY_SIGNING_KEY_FILE",
      "spark.yarn.appMasterEnv.OPENLINEAGE__TRANSPORT__TYPE", "spark.yarn.appMasterEnv.OPENLINEAGE__TRANSPORT__URL",
      "spark.yarn.appMasterEnv.OPENLINEAGE_NAMESPACE", "spark.yarn.appMasterEnv.OPENLINEAGE_PARENT_ID",
      "spark.kubernetes.driverEnv.OPENLINEAGE__TRANSPORT__TYPE", "spark.kubernetes.driverEnv.OPENLINEAGE__TRANSPORT__URL",
      "spark.kubernetes.driverEnv.OPENLINEAGE_NAMESPACE", "spark.kubernetes.driverEnv.OPENLINEAGE_PARENT_ID");

  @Test
  void theKubernetesScheduleRunsThisBuildsJarNightly() throws IOException {
    JsonNode app = YAML.readTree(SCHEDULING.resolve("kubernetes-scheduled-spark-application.yaml").toFile());
    assertThat(app.path("apiVersion").asText()).isEqualTo("sparkoperator.k8s.io/v1beta2");
    assertThat(app.path("kind").asText()).isEqualTo("ScheduledSparkApplication");
    JsonNode spec = app.path("spec");
    assertThat(spec.path("schedule").asText()).isEqualTo("0 2 * * *");
    assertThat(spec.path("timeZone").asText()).isEqualTo("UTC");
    assertThat(spec.path("concurrencyPolicy").asText()).isEqualTo("Forbid");

    JsonNode template = spec.path("template");
    assertThat(template.path("type").asText()).isEqualTo("Java");
    assertThat(template.path("mainClass").asText()).isEqualTo(EligibilityCli.class.getName());
    assertThat(template.path("mainApplicationFile").asText()).endsWith("/" + JAR);
    assertThat(template.path("sparkVersion").asText()).isEqualTo(org.apache.spark.package$.MODULE$.SPARK_VERSION());
    assertRunsTheNight(strings(template.path("arguments")));
    assertKnownKeys(fieldNames(template.path("sparkConf")));
    assertThat(template.path("driver").path("env").findValuesAsText("name")).containsExactly("ELIGIBILITY_SIGNING_KEY_FILE",
        "OPENLINEAGE__TRANSPORT__TYPE", "OPENLINEAGE__TRANSPORT__URL", "OPENLINEAGE_NAMESPACE");
    assertThat(lineageConf()).contains("ELIGIBILITY_SIGNING_KEY_FILE");
    // The spec the arguments name is the one mounted from the config map.
    assertThat(template.path("volumes").findValuesAsText("name")).contains("specs");
  }

  @Test
  void theEmrScheduleAddsASparkSubmitStepForThisBuildsJar() throws IOException {
    JsonNode schedule = JSON.readTree(SCHEDULING.resolve("emr-nightly-schedule.json").toFile());
    assertThat(schedule.path("ScheduleExpression").asText()).isEqualTo("cron(0 2 * * ? *)");
    assertThat(schedule.path("ScheduleExpressionTimezone").asText()).isEqualTo("UTC");
    assertThat(schedule.path("Target").path("Arn").asText()).isEqualTo("arn:aws:scheduler:::aws-sdk:emr:addJobFlowSteps");
    // EventBridge Scheduler puts the fire time where its context attribute stands.
    String input = schedule.path("Target").path("Input").asText().replace("<aws.scheduler.scheduled-time>", NIGHT.toString());
    JsonNode step = JSON.readTree(input).path("Steps").path(0);
    assertThat(step.path("HadoopJarStep").path("Jar").asText()).isEqualTo("command-runner.jar");
    List<String> command = strings(step.path("HadoopJarStep").path("Args"));
    assertThat(command.get(0)).isEqualTo("spark-submit");

    SparkSubmitArguments submit = sparkSubmit(command.subList(1, command.size()));
    assertThat(submit.master()).isEqualTo("yarn");
    assertThat(submit.deployMode()).isEqualTo("cluster");
    assertThat(submit.mainClass()).isEqualTo(EligibilityCli.class.getName());
    assertThat(submit.primaryResource()).endsWith("/" + JAR);
    assertThat(submit.files()).endsWith("/nightly-base-model.yaml");
    assertKnownKeys(JavaConverters.mapAsJavaMap(submit.sparkProperties()).keySet());
    assertRunsTheNight(JavaConverters.bufferAsJavaList(submit.childArgs()));
    assertThat(JavaConverters.mapAsJavaMap(submit.sparkProperties()))
        .containsEntry("spark.yarn.appMasterEnv.OPENLINEAGE__TRANSPORT__TYPE", "http")
        .containsKey("spark.yarn.appMasterEnv.OPENLINEAGE__TRANSPORT__URL");
  }

  @Test
  void theAirflowDagSubmitsThisBuildsJarNightly() throws Exception {
    JsonNode facts = airflowFacts(SCHEDULING.resolve("airflow_eligibility_nightly.py"));
    assertThat(facts.path("dags")).hasSize(1);
    assertThat(facts.path("dags").path(0).path("schedule").asText()).isEqualTo("0 2 * * *");
    assertThat(facts.path("dags").path(0).path("max_active_runs").asInt()).isEqualTo(1);
    assertThat(facts.path("spark_submits")).hasSize(1);
    JsonNode task = facts.path("spark_submits").path(0);
    assertThat(task.path("env_vars").fieldNames()).toIterable().containsExactly("ELIGIBILITY_SIGNING_KEY_FILE");
    // Only failures the run's outcome calls retryable are retried: the operator fails the others for good.
    assertThat(strings(facts.path("failing_for_good"))).containsExactly("EligibilityRunOperator");
    assertThat(strings(task.path("application_args"))).contains("--outcome-file");
    // The driver reports to Marquez as a child of the task's run, in YARN and in Kubernetes cluster mode.
    for (String env : List.of("spark.yarn.appMasterEnv.", "spark.kubernetes.driverEnv.")) {
      assertThat(task.path("conf").path(env + "OPENLINEAGE__TRANSPORT__TYPE").asText()).isEqualTo("http");
      assertThat(task.path("conf").path(env + "OPENLINEAGE_PARENT_ID").asText())
          .isEqualTo("{{ macros.OpenLineageProviderPlugin.lineage_parent_id(task_instance) }}");
    }

    // The spark-submit line SparkSubmitHook builds from the operator's arguments.
    List<String> command = new ArrayList<>(List.of("--master", "yarn", "--deploy-mode", "cluster"));
    task.path("conf").fields().forEachRemaining(e -> command.addAll(List.of("--conf", e.getKey() + "=" + e.getValue().asText())));
    command.addAll(List.of("--files", task.path("files").asText(), "--name", task.path("name").asText(),
        "--class", task.path("java_class").asText(), task.path("application").asText()));
    // Airflow renders "{{ data_interval_end | ts }}" as the fire time with its offset.
    strings(task.path("application_args")).forEach(arg ->
        command.add(arg.replace("{{ data_interval_end | ts }}", "2026-11-25T02:00:00+00:00")));

    SparkSubmitArguments submit = sparkSubmit(command);
    assertThat(submit.mainClass()).isEqualTo(EligibilityCli.class.getName());
    assertThat(submit.primaryResource()).endsWith("/" + JAR);
    assertThat(submit.files()).endsWith("/nightly-base-model.yaml");
    assertKnownKeys(JavaConverters.mapAsJavaMap(submit.sparkProperties()).keySet());
    assertRunsTheNight(JavaConverters.bufferAsJavaList(submit.childArgs()));
  }

  /** The arguments are a signed run of the nightly spec, and make the run of {@link #NIGHT}. */
  static void assertRunsTheNight(List<String> arguments) {
    CommandLine.ParseResult parsed = new CommandLine(new EligibilityCli()).parseArgs(arguments.toArray(String[]::new));
    assertThat(parsed.subcommand()).as("a subcommand in " + arguments).isNotNull();
    assertThat(parsed.subcommand().commandSpec().userObject()).isInstanceOf(RunCommand.class);
    RunCommand run = (RunCommand) parsed.subcommand().commandSpec().userObject();
    assertThat(run.unsigned).as("nightly runs are signed").isFalse();
    assertThat(run.replace).as("a schedule never replaces a committed night").isFalse();
    assertThat(run.specFile.getFileName().toString()).isEqualTo("nightly-base-model.yaml");
    assertThat(run.scheduledFor).as("--scheduled-for").isNotNull();
    assertThat(run.noImpact).as("the night's log ends with the revocation impact").isFalse();
    assertThat(run.full).as("nights decide incrementally where they can").isFalse();

    RunSpec spec = new RunSpecParser(STARTED).parse(SCHEDULING.resolve("nightly-base-model.yaml"));
    RunSpec night = ScheduledNight.parse(run.scheduledFor, STARTED).applyTo(spec);
    assertThat(night.runId()).isEqualTo("nightly-base-model-2026-11-25");
    assertThat(night.asOf()).contains(NIGHT);
    assertThat(night.outputRoot()).startsWith("s3a://");
  }

  static void assertKnownKeys(Set<String> keys) throws IOException {
    Set<String> documented = sparkS3Keys();
    // Spark registers its configuration entries when their holders load.
    Object core = org.apache.spark.internal.config.package$.MODULE$;
    Object sql = org.apache.spark.sql.internal.SQLConf$.MODULE$;
    assertThat(core).isNotNull();
    assertThat(sql).isNotNull();
    assertThat(keys).isNotEmpty().allSatisfy(key -> assertThat(
            documented.contains(key) || PLATFORM_KEYS.contains(key)
                || org.apache.spark.internal.config.ConfigEntry$.MODULE$.findEntry(key) != null)
        .as(key + " is a key this build's Spark knows or conf/spark-s3.conf documents").isTrue());
  }

  static Set<String> sparkS3Keys() throws IOException {
    return Files.readAllLines(Path.of("..", "conf", "spark-s3.conf"), StandardCharsets.UTF_8).stream()
        .map(String::strip)
        .filter(line -> !line.isEmpty() && !line.startsWith("#"))
        .map(line -> line.split("\\s+", 2)[0])
        .collect(Collectors.toSet());
  }

  static SparkSubmitArguments sparkSubmit(List<String> arguments) {
    // What a YARN gateway's environment has; nothing else of this machine's environment.
    scala.collection.immutable.Map<String, String> environment =
        new scala.collection.immutable.Map.Map1<>("HADOOP_CONF_DIR", "/etc/hadoop/conf");
    return new SparkSubmitArguments(JavaConverters.asScalaBuffer(arguments).toSeq(), environment);
  }

  static JsonNode airflowFacts(Path dag) throws Exception {
    Process python = new ProcessBuilder("python3", Path.of("src", "test", "python", "airflow_dag_facts.py").toString(),
        dag.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    byte[] out = python.getInputStream().readAllBytes();
    assertThat(python.waitFor()).as("python3 reads " + dag).isZero();
    return JSON.readTree(out);
  }

  static String lineageConf() throws IOException {
    return Files.readString(Path.of("..", "conf", "lineage.yaml"));
  }

  static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(node -> values.add(node.asText()));
    return values;
  }

  static Set<String> fieldNames(JsonNode object) {
    Set<String> names = new java.util.TreeSet<>();
    object.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
