package dev.eligibility.jobs.openlineage;

import dev.eligibility.jobs.errors.Errors;
import dev.eligibility.jobs.run.RunEvents;
import dev.eligibility.jobs.spec.StrictYaml;
import io.openlineage.client.OpenLineageClient;
import io.openlineage.client.transports.ConsoleTransport;
import io.openlineage.client.transports.FileConfig;
import io.openlineage.client.transports.FileTransport;
import io.openlineage.client.transports.HttpConfig;
import io.openlineage.client.transports.HttpTransport;
import io.openlineage.client.transports.Transport;
import java.net.URI;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Where a run's OpenLineage events go: the {@code openlineage:} block of {@code conf/lineage.yaml}.
 *
 * @param transport {@code none}, {@code console}, {@code file} or {@code http}
 * @param file the JSON Lines file events are appended to ({@code file})
 * @param url the lineage service, e.g. Marquez's {@code http://host:5000} ({@code http})
 * @param endpoint the path events are posted to ({@code http}; default {@code /api/v1/lineage})
 * @param namespace the job namespace
 */
public record OpenLineageSettings(Kind transport, Optional<Path> file, Optional<URI> url, String endpoint, String namespace) {

  /** The transports this build offers. */
  public enum Kind { NONE, CONSOLE, FILE, HTTP }

  public static final Set<String> KEYS = Set.of("transport", "file", "url", "endpoint", "namespace");
  public static final String DEFAULT_NAMESPACE = "eligibility-filter";
  public static final OpenLineageSettings NONE =
      new OpenLineageSettings(Kind.NONE, Optional.empty(), Optional.empty(), "/api/v1/lineage", DEFAULT_NAMESPACE);

  /** The {@code openlineage:} block; relative file paths resolve with {@code resolve}. */
  public static OpenLineageSettings parse(String source, StrictYaml block, Function<String, Path> resolve) {
    String name = block.optionalText("transport").orElse("none");
    Kind kind = Arrays.stream(Kind.values()).filter(k -> k.name().toLowerCase(Locale.ROOT).equals(name)).findFirst()
        .orElseThrow(() -> Errors.badValue(source, "openlineage.transport", name, "one of none, console, file, http"));
    Optional<Path> file = block.optionalText("file").map(resolve);
    Optional<URI> url = block.optionalText("url").map(text -> {
      try {
        return URI.create(text);
      } catch (IllegalArgumentException e) {
        throw Errors.badValue(source, "openlineage.url", text, "a URL such as http://localhost:5000");
      }
    });
    if (kind == Kind.FILE && file.isEmpty()) {
      throw Errors.missingKey(source, "openlineage.file");
    }
    if (kind == Kind.HTTP && url.isEmpty()) {
      throw Errors.missingKey(source, "openlineage.url");
    }
    return new OpenLineageSettings(kind, file, url, block.optionalText("endpoint").orElse("/api/v1/lineage"),
        block.optionalText("namespace").orElse(DEFAULT_NAMESPACE));
  }

  /** The events a run sends with these settings. */
  public RunEvents runEvents() {
    Transport chosen = switch (transport) {
      case NONE -> null;
      case CONSOLE -> new ConsoleTransport();
      case FILE -> new FileTransport(new FileConfig(file.orElseThrow().toString()));
      case HTTP -> {
        HttpConfig config = new HttpConfig();
        config.setUrl(url.orElseThrow());
        config.setEndpoint(endpoint);
        yield new HttpTransport(config);
      }
    };
    return chosen == null ? RunEvents.NONE : new OpenLineageRunEvents(new OpenLineageClient(chosen), namespace);
  }
}
