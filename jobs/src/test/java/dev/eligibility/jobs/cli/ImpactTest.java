package dev.eligibility.jobs.cli;

import static dev.eligibility.jobs.testing.SampleWorkspace.cli;
import static dev.eligibility.jobs.testing.SampleWorkspace.lineage;
import static org.assertj.core.api.Assertions.assertThat;

import dev.eligibility.jobs.testing.SampleWorkspace;
import dev.eligibility.jobs.testing.SampleWorkspace.Invocation;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lineage impact}: an event after a run (a training file's deletion) shows up as the run's
 * eligible rows that would now be excluded, with the reason and organization, from the instant it
 * takes effect and not before. ({@code RetentionTest} checks an opt-out the same way.)
 */
class ImpactTest {

  static final String FINE_TUNE = "sample-fine-tune-org-alpha";

  @TempDir
  Path folder;

  @Test
  void aTrainingFileDeletedAfterTheRunCountsFromTheInstantOfItsDeletion() throws Exception {
    SampleWorkspace workspace = SampleWorkspace.create(folder.resolve("samples"));
    Path root = folder.resolve("out");
    // The sample decides at 2026-11-01; file-alpha-3 (ftf-005, eligible then) is deleted at 2026-11-20.
    Invocation run = cli("run", "--unsigned", "--spec", workspace.spec("fine-tune", root, s -> s).toString());
    assertThat(run.exitCode()).as(run.err()).isZero();

    Invocation before = lineage("impact", "--root", root.toString(), "--as-of", "2026-11-19T23:59:59Z");
    assertThat(before.exitCode()).as(before.out() + before.err()).isZero();
    assertThat(before.out()).contains("1 retained run checked; 0 have eligible rows that would be excluded");
    assertThat(line(before, FINE_TUNE)).matches(FINE_TUNE + " +\\S+ +2 +0");

    Invocation at = lineage("impact", "--root", root.toString(), "--as-of", "2026-11-20T00:00:00Z");
    assertThat(at.exitCode()).as(at.out() + at.err()).isEqualTo(1);
    assertThat(at.out()).contains("1 retained run checked; 1 has eligible rows that would be excluded");
    List<String> lines = at.out().lines().toList();
    int fineTune = lines.indexOf(line(at, FINE_TUNE));
    assertThat(lines.get(fineTune)).matches(FINE_TUNE + " +\\S+ +2 +1");
    assertThat(lines.get(fineTune + 1)).matches(" +FILE_DELETED +1");
    assertThat(lines.get(fineTune + 2)).matches(" +org-alpha +FILE_DELETED +1");

    Invocation earlier = lineage("impact", "--root", root.toString(), "--as-of", "2026-10-01T00:00:00Z");
    assertThat(earlier.exitCode()).isZero();
    assertThat(line(earlier, FINE_TUNE)).contains("(as_of not before)");
  }

  private static String line(Invocation invocation, String runId) {
    return invocation.out().lines().filter(l -> l.startsWith(runId + " ")).findFirst()
        .orElseThrow(() -> new AssertionError("no line for " + runId + " in\n" + invocation.out() + invocation.err()));
  }
}
