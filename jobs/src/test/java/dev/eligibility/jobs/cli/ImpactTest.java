package dev.eligibility.jobs.cli;

import static dev.eligibility.jobs.testing.SampleWorkspace.cli;
import static dev.eligibility.jobs.testing.SampleWorkspace.lineage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.testing.SampleWorkspace;
import dev.eligibility.jobs.testing.SampleWorkspace.Invocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lineage impact}: events after a run (an opt-out, a training file's deletion) show up as
 * the run's eligible rows that would now be excluded, with the reason and organization, from the
 * instant they take effect and not before.
 */
class ImpactTest {

  static final String BASE = "sample-base-model";
  static final String FINE_TUNE = "sample-fine-tune-org-alpha";

  @TempDir
  Path folder;

  @Test
  void anOptOutAndAFileDeletionAfterTheRunsCountFromTheInstantTheyTakeEffect() throws Exception {
    SampleWorkspace workspace = SampleWorkspace.create(folder.resolve("samples"));
    Path root = folder.resolve("out");
    // Both samples decide at 2026-11-01; file-alpha-3 (ftf-005, eligible then) is deleted at 2026-11-20.
    for (String spec : List.of("fine-tune", "base-model")) {
      Invocation run = cli("run", "--unsigned", "--spec", workspace.spec(spec, root, s -> s).toString());
      assertThat(run.exitCode()).as(run.err()).isZero();
    }
    // After the runs, org-alpha (two eligible API rows in the base run, opted in at submission) opts out.
    Files.writeString(workspace.file("reference/consent_events.jsonl"),
        "{\"event_id\": \"ev-later\", \"org_id\": \"org-alpha\", \"project_id\": null, \"decision\": \"OPT_OUT\","
            + " \"effective_at\": \"2026-11-10T00:00:00Z\", \"recorded_at\": \"2026-11-10T00:00:00Z\"}\n",
        StandardOpenOption.APPEND);

    Invocation before = lineage("impact", "--root", root.toString(), "--as-of", "2026-11-09T23:59:59Z");
    assertThat(before.exitCode()).as(before.out() + before.err()).isZero();
    assertThat(before.out()).contains("2 retained runs checked; 0 have eligible rows that would be excluded");
    assertThat(line(before, BASE)).matches(BASE + " +\\S+ +7 +0");

    Invocation after = lineage("impact", "--root", root.toString(), "--as-of", "2026-11-20T00:00:00Z");
    assertThat(after.exitCode()).as(after.out() + after.err()).isEqualTo(1);
    assertThat(after.out()).contains("2 retained runs checked; 2 have eligible rows that would be excluded");
    List<String> lines = after.out().lines().toList();
    int base = lines.indexOf(line(after, BASE));
    assertThat(lines.get(base)).matches(BASE + " +\\S+ +7 +2");
    assertThat(lines.get(base + 1)).matches(" +OPT_IN_REVOKED +2");
    assertThat(lines.get(base + 2)).matches(" +org-alpha +OPT_IN_REVOKED +2");
    int fineTune = lines.indexOf(line(after, FINE_TUNE));
    assertThat(lines.get(fineTune)).matches(FINE_TUNE + " +\\S+ +2 +1");
    assertThat(lines.get(fineTune + 1)).matches(" +FILE_DELETED +1");
    assertThat(lines.get(fineTune + 2)).matches(" +org-alpha +FILE_DELETED +1");

    Invocation earlier = lineage("impact", "--root", root.toString(), "--as-of", "2026-10-01T00:00:00Z");
    assertThat(earlier.exitCode()).isZero();
    assertThat(line(earlier, BASE)).contains("(as_of not before)");
  }

  private static String line(Invocation invocation, String runId) {
    return invocation.out().lines().filter(l -> l.startsWith(runId + " ")).findFirst()
        .orElseThrow(() -> new AssertionError("no line for " + runId + " in\n" + invocation.out() + invocation.err()));
  }
}
