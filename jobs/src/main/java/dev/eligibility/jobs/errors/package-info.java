/**
 * User-facing errors. Every one is built in {@link dev.eligibility.jobs.errors.Errors}, says what
 * is wrong, where (file, table, column, key) and how to fix it, and never quotes corpus content.
 */
package dev.eligibility.jobs.errors;
