/**
 * Publication under an output root: the {@code eligible/} and {@code exclusions/} Delta tables,
 * the run registry, the root's claim (lease) and recovery, and one run record per run under
 * {@code manifests/}, written last as the commit point.
 */
package dev.eligibility.jobs.publication;
