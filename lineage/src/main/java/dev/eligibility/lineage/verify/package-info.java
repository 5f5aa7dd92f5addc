/**
 * The claims a run's manifest makes and what checking each found, with the checks that need no
 * engine: the signature ({@link dev.eligibility.lineage.verify.SignatureClaim}) and the link to
 * the previous manifest ({@link dev.eligibility.lineage.verify.ChainLink}). A reviewer's own
 * tooling can run these on the manifest files alone; the claims about tables are checked by the
 * job's verifier, one class each.
 */
package dev.eligibility.lineage.verify;
