/** The {@code eligibility} command line: {@code run} and {@code explain}, built with picocli. */
package dev.eligibility.jobs.cli;
