package dev.eligibility.jobs.layout;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The job's packages, read from their sources: which package uses which (imports and fully
 * qualified names), with no cycle, the evidence using nothing else of the job, and nothing of the
 * benchmark in the main sources.
 */
class PackageLayoutTest {

  private static final Path MAIN = Path.of("src/main/java/dev/eligibility/jobs");
  private static final Pattern USE = Pattern.compile("dev\\.eligibility\\.jobs\\.([a-z]+)\\.");

  @Test
  void packagesFormNoCycle() throws IOException {
    Map<String, Set<String>> uses = uses();
    for (String start : uses.keySet()) {
      List<String> cycle = cycleFrom(start, uses);
      assertThat(cycle).as("a package cycle through " + start).isEmpty();
    }
  }

  @Test
  void eachConceptHasItsOwnRoom() throws IOException {
    Map<String, Set<String>> uses = uses();
    assertThat(uses.keySet()).contains("decision", "evidence", "publication", "input", "run", "policy")
        .doesNotContain("engine", "output", "bench");
    assertThat(uses.get("evidence")).as("evidence uses nothing else of the job").isEmpty();
    assertThat(uses.get("decision")).doesNotContain("run", "cli", "verify", "openlineage");
    assertThat(uses.get("input")).doesNotContain("publication", "decision", "run");
    assertThat(uses.get("policy")).doesNotContain("decision", "input", "publication", "run");
  }

  /** Package to the other packages of the job its sources name. */
  private static Map<String, Set<String>> uses() throws IOException {
    Map<String, Set<String>> uses = new TreeMap<>();
    try (Stream<Path> packages = Files.list(MAIN)) {
      for (Path folder : packages.filter(Files::isDirectory).toList()) {
        String name = folder.getFileName().toString();
        Set<String> used = new TreeSet<>();
        try (Stream<Path> sources = Files.list(folder)) {
          for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
            Matcher matcher = USE.matcher(Files.readString(source));
            while (matcher.find()) {
              used.add(matcher.group(1));
            }
          }
        }
        used.remove(name);
        uses.put(name, used);
      }
    }
    return uses;
  }

  /** A path from {@code start} back to itself, or empty. */
  private static List<String> cycleFrom(String start, Map<String, Set<String>> uses) {
    Deque<List<String>> paths = new ArrayDeque<>();
    paths.push(List.of(start));
    Set<String> seen = new TreeSet<>();
    while (!paths.isEmpty()) {
      List<String> path = paths.pop();
      for (String next : uses.getOrDefault(path.get(path.size() - 1), Set.of())) {
        List<String> longer = new ArrayList<>(path);
        longer.add(next);
        if (next.equals(start)) {
          return longer;
        }
        if (seen.add(next)) {
          paths.push(longer);
        }
      }
    }
    return List.of();
  }
}
