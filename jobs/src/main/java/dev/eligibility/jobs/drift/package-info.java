/**
 * The drift gate of a run: its figures (eligible share, each reason's rows, rows per input,
 * organizations with eligible rows) against the runs committed before it under the same output
 * root, with the limits of {@code conf/drift.yaml}. A run past a limit stops before writing.
 */
package dev.eligibility.jobs.drift;
