/** Benchmarks: what the run's evidence costs, measured as ratios against a baseline in the same JVM. */
package dev.eligibility.jobs.bench;
