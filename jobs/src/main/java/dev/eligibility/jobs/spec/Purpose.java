package dev.eligibility.jobs.spec;

/** What a run's dataset trains. */
public enum Purpose {
  /** A model for everyone: no organization's fine-tune files may enter. */
  BASE_MODEL,
  /** A fine-tune for one organization: only that organization's own training files may enter. */
  FINE_TUNE
}
