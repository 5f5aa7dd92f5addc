/**
 * The data contract's tables: their columns and types ({@link dev.eligibility.jobs.input.Contracts}),
 * and a reader that binds an input to its contract before the policy sees it
 * ({@link dev.eligibility.jobs.input.TableReader}). Binding checks names and types first, then
 * every value in one Spark pass, so a bad input stops the run before anything is written.
 */
package dev.eligibility.jobs.input;
