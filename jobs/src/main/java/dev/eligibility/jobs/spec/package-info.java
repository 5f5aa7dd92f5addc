/**
 * The run spec: a YAML file naming a run's inputs, purpose, {@code as_of} and output root, parsed
 * strictly (unknown keys are errors) into immutable values before any data is read.
 */
package dev.eligibility.jobs.spec;
