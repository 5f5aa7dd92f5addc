/**
 * Evidence: dataset digests of Spark tables (two independent implementations, one for runs, one
 * for the verifier) and the Merkle tree over eligible record ids (root and audit paths), computed
 * where the rows are. Depends on nothing else of the job.
 */
package dev.eligibility.jobs.evidence;
