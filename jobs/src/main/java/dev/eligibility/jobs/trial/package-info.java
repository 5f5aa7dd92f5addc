/**
 * Decisions that write nothing: a dry run of a spec and a policy trial (the same inputs under the
 * spec's policy and a candidate, and the rows whose outcome would change).
 */
package dev.eligibility.jobs.trial;
