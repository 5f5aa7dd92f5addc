/**
 * Turns bound inputs into decided rows. {@link dev.eligibility.jobs.engine.EligibilityEngine}
 * attaches to every corpus row the facts the rules need (its duplicate count, its request's
 * provenance and consent state, its training file, its licence) with joins — the API subset
 * shuffled against {@code api_requests}, every reference table that is small broadcast, consent
 * as per-scope validity intervals joined on organization (and project) with a range condition —
 * and then lets {@link dev.eligibility.jobs.policy.PolicyRules} decide each row.
 */
package dev.eligibility.jobs.engine;
