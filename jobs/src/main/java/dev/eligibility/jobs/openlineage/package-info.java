/**
 * OpenLineage run events (START, COMPLETE, FAIL) with the openlineage-java client: datasets named
 * by OpenLineage's naming conventions with their versions, output statistics, and the
 * {@code eligibility_run} run facet.
 */
package dev.eligibility.jobs.openlineage;
