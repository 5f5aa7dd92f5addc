package dev.eligibility.jobs.run;

/** Receives one call per stage of a run: for a console, a line each. */
public interface Progress {

  /** A stage begins; {@code index} counts from 1. */
  void started(int index, int total, String title);

  /** The current stage ended; {@code detail} says what it produced. */
  void finished(String detail);

  /** Something the user should know while a stage runs (a wait, a repair). */
  default void note(String message) {}

  /** Progress that says nothing. */
  Progress SILENT = new Progress() {
    @Override
    public void started(int index, int total, String title) {}

    @Override
    public void finished(String detail) {}
  };
}
