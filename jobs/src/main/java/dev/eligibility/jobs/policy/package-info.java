/**
 * The eligibility policy (POLICY.md): its vocabulary ({@link dev.eligibility.jobs.policy.Reason},
 * {@link dev.eligibility.jobs.policy.SourceKind}, {@link dev.eligibility.jobs.policy.ConsentState}),
 * its parameters read from {@code policy.yaml}, and its fourteen rules in order
 * ({@link dev.eligibility.jobs.policy.PolicyRules}). Parameters are data; the rules are code.
 */
package dev.eligibility.jobs.policy;
