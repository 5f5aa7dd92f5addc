/**
 * Benchmarks, outside the main jar: the real run side by side with the same run without evidence,
 * a bare Spark copy of the corpus and DuckDB, each as a process of its own ({@code jobs/bin/benchmark}).
 */
package dev.eligibility.jobs.bench;
