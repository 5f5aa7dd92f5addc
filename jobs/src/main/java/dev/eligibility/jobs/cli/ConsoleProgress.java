package dev.eligibility.jobs.cli;

import dev.eligibility.jobs.run.Progress;
import java.io.PrintWriter;
import java.util.Locale;

/** One line per stage: {@code [2/5] Reading and validating inputs ... 9 tables, 120 rows (3.2 s)}. */
final class ConsoleProgress implements Progress {

  private final PrintWriter out;
  private long stageStartNanos;
  private boolean inStage;

  ConsoleProgress(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void started(int index, int total, String title) {
    stageStartNanos = System.nanoTime();
    inStage = true;
    out.printf("[%d/%d] %s ... ", index, total, title);
    out.flush();
  }

  /** A line of its own; within a stage, the stage's result then follows after "...". */
  @Override
  public void note(String message) {
    if (inStage) {
      out.printf("%n      %s%n      ... ", message);
    } else {
      out.printf("      %s%n", message);
    }
    out.flush();
  }

  @Override
  public void finished(String detail) {
    double seconds = (System.nanoTime() - stageStartNanos) / 1e9;
    inStage = false;
    out.printf(Locale.ROOT, "%s (%.1f s)%n", detail, seconds);
    out.flush();
  }
}
