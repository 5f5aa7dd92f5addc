package dev.eligibility.jobs.openlineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.eligibility.jobs.testing.OpenLineageSpecSource;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the tests' OpenLineage schemas come from: the folder {@code -Dopenlineage.spec.dir} names,
 * else the specification folder beside the checkout, else the official site by {@code $id}
 * (here a loopback server standing in for it), cached; and a failure that names all three.
 */
class OpenLineageSpecSourceTest {

  @TempDir
  Path folder;

  @Test
  void theNamedFolderComesFirstThenTheFolderBesideTheCheckout() throws IOException {
    Path named = specFolder("named");
    Path shared = specFolder("shared");
    String nowhere = "http://127.0.0.1:1";

    OpenLineageSpecSource.Resolved first = new OpenLineageSpecSource(Optional.of(named), shared, nowhere, folder.resolve("cache")).resolve();
    assertThat(first.folder()).isEqualTo(named);
    assertThat(first.source()).startsWith("-Dopenlineage.spec.dir ");

    OpenLineageSpecSource.Resolved second = new OpenLineageSpecSource(Optional.empty(), shared, nowhere, folder.resolve("cache")).resolve();
    assertThat(second.folder()).isEqualTo(shared);
    assertThat(second.source()).startsWith("the specification folder beside the checkout");

    // A named folder without the schemas is passed over, not trusted.
    OpenLineageSpecSource.Resolved third = new OpenLineageSpecSource(Optional.of(folder.resolve("empty")), shared, nowhere,
        folder.resolve("cache")).resolve();
    assertThat(third.folder()).isEqualTo(shared);
  }

  @Test
  void withNoFolderEverySchemaIsFetchedByItsIdOnceAndKept() throws IOException {
    AtomicInteger requests = new AtomicInteger();
    HttpServer site = serveSchemas(requests, true);
    Path cache = folder.resolve("cache");
    try {
      String base = "http://127.0.0.1:" + site.getAddress().getPort();
      OpenLineageSpecSource source = new OpenLineageSpecSource(Optional.empty(), folder.resolve("no-shared"), base, cache);

      OpenLineageSpecSource.Resolved fetched = source.resolve();
      assertThat(fetched.folder()).isEqualTo(cache);
      assertThat(fetched.source()).startsWith("fetched by $id from " + base);
      List<String> ids = OpenLineageSpecSource.officialIds();
      assertThat(requests.get()).isEqualTo(ids.size());
      assertThat(Files.readString(cache.resolve("OpenLineage.json"))).contains("\"$id\":\"" + ids.get(0) + "\"");
      assertThat(Files.readString(cache.resolve("facets").resolve("SchemaDatasetFacet.json")))
          .contains("https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json");
      try (var files = Files.list(cache.resolve("facets"))) {
        assertThat(files.filter(f -> f.toString().endsWith(".part"))).isEmpty();
      }
    } finally {
      site.stop(0);
    }
    // The site is gone: the cache answers, and nothing is requested again.
    OpenLineageSpecSource.Resolved cached = new OpenLineageSpecSource(Optional.empty(), folder.resolve("no-shared"),
        "http://127.0.0.1:1", cache).resolve();
    assertThat(cached.source()).startsWith("the cache of schemas fetched from");
    assertThat(requests.get()).isEqualTo(OpenLineageSpecSource.officialIds().size());
  }

  @Test
  void whenNoSourceAnswersTheFailureNamesAllThree() throws IOException {
    HttpServer site = serveSchemas(new AtomicInteger(), false);
    try {
      String base = "http://127.0.0.1:" + site.getAddress().getPort();
      OpenLineageSpecSource source = new OpenLineageSpecSource(Optional.of(folder.resolve("named")),
          folder.resolve("no-shared"), base, folder.resolve("cache"));
      assertThatThrownBy(source::resolve)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("-Dopenlineage.spec.dir names " + folder.resolve("named"))
          .hasMessageContaining("no specification folder beside the checkout at " + folder.resolve("no-shared"))
          .hasMessageContaining("fetching the schemas by $id from " + base + " failed")
          .hasMessageContaining("answered HTTP 404");
      assertThat(folder.resolve("cache").resolve("OpenLineage.json")).doesNotExist();
    } finally {
      site.stop(0);
    }
  }

  /** A folder laid out as the spec is: OpenLineage.json and facets/. */
  private Path specFolder(String name) throws IOException {
    Path dir = Files.createDirectories(folder.resolve(name).resolve("facets"));
    Files.writeString(dir.getParent().resolve("OpenLineage.json"), "{}");
    return dir.getParent();
  }

  /** A loopback stand-in for the spec site: each official $id's path answers a schema naming that $id. */
  private static HttpServer serveSchemas(AtomicInteger requests, boolean answer) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      requests.incrementAndGet();
      String id = OpenLineageSpecSource.OFFICIAL_SITE + exchange.getRequestURI().getPath();
      boolean known = answer && OpenLineageSpecSource.officialIds().contains(id);
      byte[] body = known
          ? ("{\"$schema\":\"https://json-schema.org/draft/2020-12/schema\",\"$id\":\"" + id + "\"}").getBytes(StandardCharsets.UTF_8)
          : "not found".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(known ? 200 : 404, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
    return server;
  }
}
