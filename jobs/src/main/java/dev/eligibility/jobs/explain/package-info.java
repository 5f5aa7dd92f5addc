/** One record's decision trace: every rule checked, the reference rows used, the consent states. */
package dev.eligibility.jobs.explain;
