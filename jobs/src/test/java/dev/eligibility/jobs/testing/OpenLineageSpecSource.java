package dev.eligibility.jobs.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the official OpenLineage 1.23.0 JSON schemas come from, first that answers:
 *
 * <ol>
 *   <li>the folder {@code -Dopenlineage.spec.dir=DIR} names;
 *   <li>the specification folder beside the checkout, {@code shared/openlineage-spec/};
 *   <li>the official spec site, each schema fetched by its {@code $id} URL (the list is the test
 *       resource {@code openlineage-spec-1.23.0.ids}) and cached under {@code target/}, so a clone
 *       with the network and nothing beside it downloads them once.
 * </ol>
 *
 * <p>A folder answers when it holds {@code OpenLineage.json} and a {@code facets/} folder. Only
 * when none answers does loading fail, naming all three.
 *
 * @param explicitDir the folder {@code -Dopenlineage.spec.dir} names, if given
 * @param sharedDir the specification folder beside the checkout
 * @param site where the {@code $id} URLs are fetched from ({@code https://openlineage.io}; a test
 *     names a server of its own)
 * @param cacheDir where fetched schemas are kept
 */
public record OpenLineageSpecSource(Optional<Path> explicitDir, Path sharedDir, String site, Path cacheDir) {

  /** The prefix every official schema's {@code $id} starts with. */
  public static final String OFFICIAL_SITE = "https://openlineage.io";
  static final String ID_LIST = "/openlineage-spec-1.23.0.ids";

  /** The sources this JVM is configured with (the test JVM's working folder is the jobs module). */
  public static OpenLineageSpecSource configured() {
    return new OpenLineageSpecSource(
        Optional.ofNullable(System.getProperty("openlineage.spec.dir")).map(Path::of),
        Path.of("..", "..", "shared", "openlineage-spec"),
        OFFICIAL_SITE,
        Path.of("target", "openlineage-spec"));
  }

  /** A folder the schemas were found in, and which source gave it. */
  public record Resolved(Path folder, String source) {}

  /** The first source that answers; fails, naming every source tried and why, when none does. */
  public Resolved resolve() {
    List<String> tried = new ArrayList<>();
    if (explicitDir.isPresent()) {
      Path dir = explicitDir.get();
      if (holdsSpec(dir)) {
        return new Resolved(dir, "-Dopenlineage.spec.dir " + dir.toAbsolutePath().normalize());
      }
      tried.add("-Dopenlineage.spec.dir names " + dir.toAbsolutePath().normalize() + ", which holds no OpenLineage.json and facets/");
    } else {
      tried.add("-Dopenlineage.spec.dir is not set");
    }
    if (holdsSpec(sharedDir)) {
      return new Resolved(sharedDir, "the specification folder beside the checkout, " + sharedDir.toAbsolutePath().normalize());
    }
    tried.add("no specification folder beside the checkout at " + sharedDir.toAbsolutePath().normalize());
    List<String> ids = officialIds();
    if (cacheHolds(ids)) {
      return new Resolved(cacheDir, "the cache of schemas fetched from " + site + ", " + cacheDir.toAbsolutePath().normalize());
    }
    try {
      fetchAll(ids);
      return new Resolved(cacheDir, "fetched by $id from " + site + " into " + cacheDir.toAbsolutePath().normalize());
    } catch (IOException e) {
      tried.add("fetching the schemas by $id from " + site + " failed: " + e.getMessage());
    }
    throw new IllegalStateException("The OpenLineage 1.23.0 JSON schemas were found nowhere: " + String.join("; ", tried)
        + ". Name a folder holding OpenLineage.json and facets/*.json (OpenLineage's spec/ at tag 1.23.0) with"
        + " -Dopenlineage.spec.dir=DIR, put it beside the checkout as shared/openlineage-spec/, or let the"
        + " tests reach " + OFFICIAL_SITE + ".");
  }

  /** The {@code $id} of every schema the events are validated against: the core schema first. */
  public static List<String> officialIds() {
    try (InputStream in = OpenLineageSpecSource.class.getResourceAsStream(ID_LIST)) {
      if (in == null) {
        throw new IllegalStateException("test resource " + ID_LIST + " is missing");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
          .map(String::strip).filter(line -> !line.isEmpty() && !line.startsWith("#")).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean holdsSpec(Path dir) {
    return Files.isRegularFile(dir.resolve("OpenLineage.json")) && Files.isDirectory(dir.resolve("facets"));
  }

  private boolean cacheHolds(List<String> ids) {
    return ids.stream().allMatch(id -> Files.isRegularFile(cached(id)));
  }

  /** {@code https://openlineage.io/spec/2-0-2/OpenLineage.json} to OpenLineage.json, a facet to facets/Name.json. */
  private Path cached(String id) {
    String fileName = id.substring(id.lastIndexOf('/') + 1);
    return id.contains("/facets/") ? cacheDir.resolve("facets").resolve(fileName) : cacheDir.resolve(fileName);
  }

  private void fetchAll(List<String> ids) throws IOException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    for (String id : ids) {
      Path target = cached(id);
      if (Files.isRegularFile(target)) {
        continue;
      }
      URI uri = URI.create(site + id.substring(OFFICIAL_SITE.length()));
      HttpResponse<byte[]> response;
      try {
        response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
            HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted fetching " + uri, e);
      } catch (IOException e) {
        throw new IOException(uri + ": " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage()), e);
      }
      if (response.statusCode() != 200) {
        throw new IOException(uri + " answered HTTP " + response.statusCode());
      }
      // Written aside and moved, so that an interrupted fetch never leaves half a schema in the cache.
      Files.createDirectories(target.getParent());
      Path partial = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
      Files.write(partial, response.body());
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
  }
}
