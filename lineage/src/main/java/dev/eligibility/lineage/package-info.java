/**
 * The run record: what one run of the eligibility filter read, under which policy, what it
 * decided and which table versions it produced.
 *
 * <p>Plain Java with no Spark dependency, so that a reviewer's tooling can read and check
 * records without a cluster. The record is designed to become the predicate of a signed
 * attestation: every field is a value (records, immutable collections), maps are written in
 * a fixed key order and instants in ISO-8601 UTC, so the same run always serialises to the
 * same bytes.
 */
package dev.eligibility.lineage;
