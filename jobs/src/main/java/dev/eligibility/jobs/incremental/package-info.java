/**
 * Incremental nightly runs: deciding again only the corpus rows whose decision can have changed
 * since the run committed last under the same output root, so that a night costs what changed,
 * with outputs equal to a full run's.
 */
package dev.eligibility.jobs.incremental;
