/**
 * {@code lineage verify}: checks every claim of a run's manifest against the data it names:
 * signature, identity, hash chain, freshness, outputs, inputs, policy, a fresh evaluation and the
 * negative claims.
 */
package dev.eligibility.jobs.verify;
