/**
 * What a run writes under its output root: the {@code eligible/} and {@code exclusions/} Delta
 * tables, and one run record per run under {@code manifests/}, written last as the commit point.
 */
package dev.eligibility.jobs.output;
