package dev.eligibility.jobs.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The official OpenLineage JSON schemas (the 1.23.0 spec files, from where
 * {@link OpenLineageSpecSource} finds them), resolved by {@code $id} from those files without a
 * request, and this project's own facet schema ({@code lineage/spec/}). An event is valid when
 * the core schema accepts it and every facet it carries is valid against the schema its
 * {@code _schemaURL} names.
 */
public final class OpenLineageSchemas {

  static final Path OWN = Path.of("..", "lineage", "spec");
  static final String CORE = "https://openlineage.io/spec/2-0-2/OpenLineage.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonSchemaFactory factory;
  /** Schema {@code $id}s by file name, so that a facet's {@code _schemaURL} finds its file whatever its version. */
  private final Map<String, String> idByFileName;

  private OpenLineageSchemas(JsonSchemaFactory factory, Map<String, String> idByFileName) {
    this.factory = factory;
    this.idByFileName = idByFileName;
  }

  /**
   * The schemas, from the first source that answers ({@link OpenLineageSpecSource#configured});
   * prints which one; fails, naming every source, when none does.
   */
  public static OpenLineageSchemas load() {
    OpenLineageSpecSource.Resolved resolved = OpenLineageSpecSource.configured().resolve();
    System.out.println("OpenLineage schemas: " + resolved.source());
    return load(resolved.folder());
  }

  /** The schemas in {@code spec} ({@code OpenLineage.json} and {@code facets/}) and this project's own. */
  public static OpenLineageSchemas load(Path spec) {
    Map<String, String> contentById = new HashMap<>();
    Map<String, String> idByFileName = new HashMap<>();
    try (Stream<Path> core = Stream.of(spec.resolve("OpenLineage.json"));
        Stream<Path> facets = Files.list(spec.resolve("facets"));
        Stream<Path> own = Files.list(OWN)) {
      for (Path file : Stream.concat(core, Stream.concat(facets, own)).filter(f -> f.toString().endsWith(".json")).toList()) {
        String content = Files.readString(file);
        String id = JSON.readTree(content).get("$id").asText();
        contentById.put(id, content);
        idByFileName.put(file.getFileName().toString(), id);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
        builder -> builder.schemaLoaders(loaders -> loaders.schemas(contentById)));
    return new OpenLineageSchemas(factory, idByFileName);
  }

  /** Every violation of {@code event}: of the core schema, and of each facet's own schema. */
  public List<String> violations(JsonNode event) {
    List<String> violations = new ArrayList<>();
    validate(CORE + "#/$defs/RunEvent", event, "event", violations);
    for (Facet facet : facets(event)) {
      String url = facet.node().path("_schemaURL").asText();
      String fileName = url.replaceAll("#.*", "").replaceAll(".*/", "");
      String id = idByFileName.get(fileName);
      if (id == null) {
        violations.add(facet.path() + ": no schema known for _schemaURL " + url);
        continue;
      }
      String definition = url.contains("#") ? url.substring(url.indexOf('#')) : "";
      validate(id + definition, facet.node(), facet.path(), violations);
    }
    return violations;
  }

  private void validate(String location, JsonNode node, String path, List<String> violations) {
    JsonSchema schema = factory.getSchema(SchemaLocation.of(location));
    Set<ValidationMessage> messages = schema.validate(node);
    messages.forEach(message -> violations.add(path + ": " + message.getMessage()));
  }

  private record Facet(String path, JsonNode node) {}

  /** Every facet of an event: run, job, and each dataset's facets, input facets and output facets. */
  private static List<Facet> facets(JsonNode event) {
    List<Facet> facets = new ArrayList<>();
    collect("run.facets", event.at("/run/facets"), facets);
    collect("job.facets", event.at("/job/facets"), facets);
    for (String side : List.of("inputs", "outputs")) {
      int i = 0;
      for (JsonNode dataset : event.path(side)) {
        String at = side + "[" + i++ + "]";
        collect(at + ".facets", dataset.path("facets"), facets);
        collect(at + ".inputFacets", dataset.path("inputFacets"), facets);
        collect(at + ".outputFacets", dataset.path("outputFacets"), facets);
      }
    }
    return facets;
  }

  private static void collect(String path, JsonNode container, List<Facet> facets) {
    for (Iterator<Map.Entry<String, JsonNode>> it = container.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> facet = it.next();
      facets.add(new Facet(path + "." + facet.getKey(), facet.getValue()));
    }
  }
}
