package dev.eligibility.jobs.cli;

import static dev.eligibility.jobs.testing.SampleWorkspace.cli;
import static dev.eligibility.jobs.testing.SampleWorkspace.lineage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.testing.SampleWorkspace;
import dev.eligibility.jobs.testing.SampleWorkspace.Invocation;
import dev.eligibility.jobs.testing.TestSpark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evidence outlives payload: a canary row eligible in one run and excluded in the next (its
 * organization revoked its opt-in) is gone from every file under the output root after
 * {@code eligibility vacuum}, while the first run's evidence still proves the canary was in its
 * eligible set and {@code lineage verify --evidence-only} still holds. On the way, {@code lineage
 * impact} counts the revocation against the first run from the instant it takes effect.
 */
class RetentionTest {

  static final String CANARY = "CANARY-7f3a9c-payload-that-must-go";

  @TempDir
  Path folder;

  @Test
  void vacuumPurgesTheCanaryEverywhereAndTheEvidenceStillProvesTheFirstRun() throws Exception {
    SampleWorkspace workspace = SampleWorkspace.create(folder.resolve("samples"));
    Files.writeString(workspace.file("corpus/api.jsonl"), "{\"record_id\": \"api-canary\", \"source_kind\": \"API\","
        + " \"source_ref\": \"req-canary\", \"content\": \"" + CANARY + "\"}\n", StandardOpenOption.APPEND);
    Files.writeString(workspace.file("reference/api_requests.jsonl"), "{\"request_id\": \"req-canary\", \"org_id\":"
        + " \"org-alpha\", \"project_id\": null, \"channel\": \"API\", \"endpoint\": \"/v1/chat/completions\","
        + " \"model_id\": \"gpt-4o\", \"submitted_at\": \"2024-05-11T12:00:00Z\", \"zdr\": false}\n",
        StandardOpenOption.APPEND);
    Path root = folder.resolve("out");
    Invocation first = run(workspace, root, "night-1", "2026-11-01T00:00:00Z");
    assertThat(first.exitCode()).as(first.err()).isZero();
    Files.writeString(workspace.file("reference/consent_events.jsonl"),
        "{\"event_id\": \"ev-revoke\", \"org_id\": \"org-alpha\", \"project_id\": null, \"decision\": \"OPT_OUT\","
            + " \"effective_at\": \"2026-11-10T00:00:00Z\", \"recorded_at\": \"2026-11-10T00:00:00Z\"}\n",
        StandardOpenOption.APPEND);
    // lineage impact sees the revocation from the instant it takes effect: night-1's three org-alpha rows.
    Invocation impact = lineage("impact", "--root", root.toString(), "--as-of", "2026-11-10T00:00:00Z");
    assertThat(impact.exitCode()).as(impact.out() + impact.err()).isEqualTo(1);
    assertThat(impact.out()).containsPattern("night-1 +\\S+ +8 +3\n +OPT_IN_REVOKED +3\n +org-alpha +OPT_IN_REVOKED +3\n");

    // The second night is a scheduled one: its summary ends with the same impact, at its as_of.
    Invocation second = cli("run", "--unsigned", "--scheduled-for", "2026-11-15T00:00:00Z", "--spec",
        workspace.spec("base-model", root, s -> s.replace("run_id: sample-base-model", "run_id: night")
            .replace("as_of: 2026-11-01T00:00:00Z\n", "")).toString());
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(second.out()).contains("Run night-2026-11-15 committed")
        .containsPattern("night-1 +\\S+ +8 +3\n +OPT_IN_REVOKED +3\n +org-alpha +OPT_IN_REVOKED +3\n")
        .contains("1 retained run checked; 1 has eligible rows that would be excluded at 2026-11-15T00:00:00Z.");
    assertThat(filesHolding(root, CANARY)).as("the search finds the canary while its payload is kept").isNotEmpty();
    assertThat(retentionOf(root.resolve("eligible"))).isEqualTo("interval 30 days");

    Invocation vacuum = cli("vacuum", "--root", root.toString(), "--retain-days", "0");
    assertThat(vacuum.exitCode()).as(vacuum.out() + vacuum.err()).isZero();
    assertThat(vacuum.out()).contains("night-1 (manifest ").contains("evidence recorded");
    assertThat(filesHolding(root, CANARY)).as("files under the root holding the canary").isEmpty();

    Path manifest = root.resolve("manifests/night-1.json");
    Invocation prove = lineage("prove", "--manifest", manifest.toString(), "--record", "api-canary");
    assertThat(prove.exitCode()).as(prove.err()).isZero();
    Path proof = Files.writeString(folder.resolve("proof.json"), prove.out());
    Invocation check = lineage("check-proof", "--proof", proof.toString(), "--manifest", manifest.toString());
    assertThat(check.exitCode()).as(check.out() + check.err()).isZero();
    assertThat(check.out()).contains("api-canary");

    Invocation runs = lineage("runs", "--root", root.toString(), "--org", "org-alpha");
    assertThat(runs.out()).as(runs.err()).containsPattern("night-1 .* 3 +v0 +COMMITTED, UNSIGNED");

    Invocation evidenceOnly = lineage("verify", "--manifest", manifest.toString(), "--allow-unsigned", "--evidence-only");
    assertThat(evidenceOnly.exitCode()).as(evidenceOnly.out() + evidenceOnly.err()).isZero();
    assertThat(evidenceOnly.out()).containsPattern("HOLDS +outputs +the run's evidence \\(8 record ids")
        .containsPattern("NOTED +evaluation +not checked \\(--evidence-only\\)");
    Invocation full = lineage("verify", "--manifest", manifest.toString(), "--allow-unsigned", "--historical");
    assertThat(full.exitCode()).isEqualTo(1);
    assertThat(full.out()).containsPattern("NOT_CHECKED +outputs +the payload of eligible/ v0 is no longer retained")
        .contains("NOT VERIFIED: outputs");
  }

  private static Invocation run(SampleWorkspace workspace, Path root, String runId, String asOf) {
    return cli("run", "--unsigned", "--spec", workspace.spec("base-model", root, s -> s
        .replace("run_id: sample-base-model", "run_id: " + runId)
        .replace("as_of: 2026-11-01T00:00:00Z", "as_of: " + asOf)).toString());
  }

  /** Every file under {@code root} whose bytes contain {@code text}. */
  private static List<Path> filesHolding(Path root, String text) throws IOException {
    byte[] needle = text.getBytes(StandardCharsets.UTF_8);
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).filter(file -> contains(read(file), needle)).toList();
    }
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static String retentionOf(Path table) {
    Map<String, String> properties = io.delta.tables.DeltaTable.forPath(TestSpark.session(), table.toString()).detail()
        .select("properties").head().getJavaMap(0);
    return properties.get("delta.deletedFileRetentionDuration");
  }
}
