/**
 * One run of the filter, stage by stage: spec and policy, inputs, decisions, outputs, run record.
 */
package dev.eligibility.jobs.run;
