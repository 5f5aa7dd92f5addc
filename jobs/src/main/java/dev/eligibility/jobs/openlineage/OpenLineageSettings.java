package dev.eligibility.jobs.openlineage;

import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.run.RunEvents;
import io.openlineage.client.Clients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a run's OpenLineage events go, configured the way every OpenLineage client is: an
 * {@code openlineage.yml} (the file {@code --openlineage-conf} names, else {@code OPENLINEAGE_CONFIG},
 * else {@code ./openlineage.yml}, else {@code ~/.openlineage/openlineage.yml}; see
 * {@code conf/openlineage.yml}), or {@code OPENLINEAGE__TRANSPORT__...} environment variables.
 * Without either, no event is sent. {@code OPENLINEAGE_DISABLED=true} turns events off;
 * {@code OPENLINEAGE_NAMESPACE} names the job namespace; {@code OPENLINEAGE_PARENT_ID}
 * ({@code namespace/job/run-uuid}, as Airflow's {@code lineage_parent_id} macro writes it) names
 * the scheduler's run the run belongs to.
 *
 * @param configFile the {@code openlineage.yml} in effect, if any
 * @param fromEnvironment whether {@code OPENLINEAGE__} variables configure the client
 * @param namespace the job namespace
 * @param parent the scheduler's run, if named
 */
public record OpenLineageSettings(Optional<Path> configFile, boolean fromEnvironment, String namespace,
    Optional<ParentRun> parent) {

  public static final String DEFAULT_NAMESPACE = "eligibility-filter";

  /** The scheduler's run a run belongs to: its job's namespace and name, and its run id. */
  public record ParentRun(String namespace, String job, UUID runId) {}

  /** The settings of this process: {@code explicit} (from {@code --openlineage-conf}) and {@code environment}. */
  public static OpenLineageSettings of(Optional<Path> explicit, Map<String, String> environment) {
    Optional<Path> file = explicit.isPresent() ? explicit : Optional.ofNullable(environment.get("OPENLINEAGE_CONFIG"))
        .map(Path::of)
        .or(() -> existing(Path.of("openlineage.yml")))
        .or(() -> Optional.ofNullable(System.getProperty("user.home"))
            .flatMap(home -> existing(Path.of(home, ".openlineage", "openlineage.yml"))));
    if (file.isPresent() && !Files.isReadable(file.get())) {
      throw Errors.specUnreadable(file.get().toString(), "the OpenLineage configuration cannot be read");
    }
    boolean fromEnvironment = environment.keySet().stream().anyMatch(key -> key.startsWith("OPENLINEAGE__"));
    String namespace = Optional.ofNullable(environment.get("OPENLINEAGE_NAMESPACE")).filter(n -> !n.isBlank())
        .orElse(DEFAULT_NAMESPACE);
    return new OpenLineageSettings(file, fromEnvironment, namespace,
        Optional.ofNullable(environment.get("OPENLINEAGE_PARENT_ID")).map(OpenLineageSettings::parent));
  }

  /**
   * The events of one run; {@code nominalTime} is the time it was scheduled for ({@code --scheduled-for}),
   * sent as the standard {@code nominalTime} facet.
   */
  public RunEvents runEvents(Optional<Instant> nominalTime) {
    if (configFile.isEmpty() && !fromEnvironment) {
      return RunEvents.NONE;
    }
    // The client's own loader: the YAML file when given, else its OPENLINEAGE__ variables.
    var client = Clients.newClient(() -> configFile.map(List::of).orElse(List.of()));
    return new OpenLineageRunEvents(client, namespace, nominalTime, parent);
  }

  private static Optional<Path> existing(Path path) {
    return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
  }

  private static ParentRun parent(String value) {
    String[] parts = value.split("/");
    if (parts.length >= 3) {
      try {
        String job = String.join("/", java.util.Arrays.copyOfRange(parts, 1, parts.length - 1));
        return new ParentRun(parts[0], job, UUID.fromString(parts[parts.length - 1]));
      } catch (IllegalArgumentException e) {
        // reported below
      }
    }
    throw Errors.badValue("environment", "OPENLINEAGE_PARENT_ID", value, "NAMESPACE/JOB/RUN_UUID");
  }
}
