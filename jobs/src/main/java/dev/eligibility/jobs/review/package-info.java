/**
 * What a data-governance reviewer looks at besides the manifest: the run report (one
 * self-contained HTML page), the difference between two runs, an organization's receipt for a
 * run, and the outcomes per organization they share. Counts, identifiers and digests only, read
 * from the table versions a manifest pins; never payload.
 */
package dev.eligibility.jobs.review;
