/**
 * What later events would change in committed runs: the eligible rows of each retained run
 * decided again at a later instant over the reference tables as they are now
 * ({@link dev.eligibility.jobs.impact.RevocationImpact}).
 */
package dev.eligibility.jobs.impact;
