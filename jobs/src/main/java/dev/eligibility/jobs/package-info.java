/**
 * The Spark eligibility job. Sub-packages: {@code spec} (the run spec), {@code policy} (policy
 * parameters and the ordered rules), {@code input} (the data contract's tables, bound and
 * validated), {@code engine} (joins that turn a corpus into decided rows), {@code output} (Delta
 * tables and run records), {@code run} (one run, stage by stage), {@code explain} (one record's
 * decision trace), {@code cli} (the command line), {@code errors} (every user-facing error).
 */
package dev.eligibility.jobs;
