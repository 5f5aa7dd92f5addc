/**
 * The decision: every corpus row decided on its keys ({@link dev.eligibility.jobs.decision.Decision}).
 * {@link dev.eligibility.jobs.decision.EligibilityEngine} attaches to each row's keys the facts
 * the rules need (its duplicate count, its request's provenance and consent state, its training
 * file, its licence), with joins whose sides adaptive execution sizes, and lets
 * {@link dev.eligibility.jobs.policy.PolicyRules} decide; {@link dev.eligibility.jobs.decision.DecisionTally}
 * counts the outcomes. Nothing here reads the payload.
 */
package dev.eligibility.jobs.decision;
