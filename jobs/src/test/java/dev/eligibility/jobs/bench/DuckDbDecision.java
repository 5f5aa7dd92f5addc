package dev.eligibility.jobs.bench;

import java.nio.file.Path;
import java.time.Instant;

/**
 * The base-model decision as one plain SQL query for DuckDB, over the Parquet files of the
 * generated Delta tables (written once each, so every Parquet file of a table is current): the
 * benchmark's outside reference for what the join itself costs. It follows the policy's rules for
 * the kinds the generated data has (duplicates, invalid records, API provenance, fine-tuned
 * models, ZDR, non-retained endpoints, consent at submission and at as_of with deny overrides and
 * malformed events, licences, training files kept out of base models); the benchmark prints its
 * eligible count next to the run's, so a difference shows.
 */
final class DuckDbDecision {

  private DuckDbDecision() {}

  /** The eligible corpus rows, every corpus column. */
  static String eligibleRows(Path data, Instant asOf) {
    String t = "TIMESTAMPTZ '" + asOf + "'";
    return """
        WITH corpus AS (SELECT * FROM read_parquet('%1$s/corpus/*.parquet')),
        ids AS (
          SELECT record_id, count(*) AS n FROM corpus
          WHERE record_id IS NOT NULL AND record_id <> '' GROUP BY record_id),
        req AS (
          SELECT request_id, count(*) AS n, any_value(org_id) AS org_id, any_value(project_id) AS project_id,
                 any_value(channel) AS channel, any_value(endpoint) AS endpoint, any_value(model_id) AS model_id,
                 any_value(submitted_at) AS submitted_at, any_value(zdr) AS zdr
          FROM read_parquet('%1$s/api_requests/*.parquet')
          WHERE request_id IS NOT NULL AND (submitted_at IS NULL OR submitted_at <= %2$s)
          GROUP BY request_id),
        models AS (SELECT DISTINCT model_id FROM read_parquet('%1$s/fine_tuned_models/*.parquet')
                   WHERE model_id IS NOT NULL),
        zdr AS (SELECT * FROM read_parquet('%1$s/zdr_agreements/*.parquet')),
        events AS (SELECT * FROM read_parquet('%1$s/consent_events/*.parquet')
                   WHERE recorded_at IS NULL OR recorded_at <= %2$s),
        poisoned AS (
          SELECT DISTINCT org_id FROM events
          WHERE decision IS NULL OR decision NOT IN ('OPT_IN', 'OPT_OUT') OR effective_at IS NULL OR recorded_at IS NULL),
        good AS (
          SELECT org_id, project_id, effective_at,
                 CASE WHEN max(CASE WHEN decision = 'OPT_OUT' THEN 1 ELSE 0 END) = 1 THEN 'OPT_OUT' ELSE 'OPT_IN' END AS state
          FROM events e
          WHERE NOT EXISTS (SELECT 1 FROM poisoned p WHERE p.org_id = e.org_id)
          GROUP BY org_id, project_id, effective_at),
        at_as_of AS (
          SELECT org_id, project_id, arg_max(state, effective_at) AS state FROM good
          WHERE effective_at <= %2$s GROUP BY org_id, project_id),
        known AS (
          SELECT r.*,
                 (r.model_id IN (SELECT model_id FROM models) OR lower(r.model_id) LIKE 'ft:%%') AS fine_tuned,
                 EXISTS (SELECT 1 FROM zdr z WHERE z.org_id = r.org_id
                         AND (z.effective_from IS NULL OR z.effective_from <= r.submitted_at)
                         AND (z.effective_to IS NULL OR r.submitted_at < z.effective_to)
                         AND (z.endpoint IS NULL OR z.endpoint = r.endpoint)) AS zdr_agreement
          FROM req r
          WHERE r.n = 1 AND r.org_id IS NOT NULL AND r.org_id <> '' AND r.channel IN ('API', 'PLAYGROUND')
            AND r.endpoint IS NOT NULL AND r.endpoint <> '' AND r.submitted_at IS NOT NULL AND r.zdr IS NOT NULL),
        org_at_submission AS (
          SELECT k.request_id, g.state FROM known k
          ASOF LEFT JOIN (SELECT * FROM good WHERE project_id IS NULL) g
            ON k.org_id = g.org_id AND k.submitted_at >= g.effective_at),
        project_at_submission AS (
          SELECT k.request_id, g.state FROM known k
          ASOF LEFT JOIN (SELECT * FROM good WHERE project_id IS NOT NULL) g
            ON k.org_id = g.org_id AND k.project_id = g.project_id AND k.submitted_at >= g.effective_at),
        api_ok AS (
          SELECT k.request_id FROM known k
          JOIN org_at_submission os USING (request_id)
          JOIN project_at_submission ps USING (request_id)
          LEFT JOIN (SELECT * FROM at_as_of WHERE project_id IS NULL) oa ON oa.org_id = k.org_id
          LEFT JOIN (SELECT * FROM at_as_of WHERE project_id IS NOT NULL) pa
            ON pa.org_id = k.org_id AND pa.project_id = k.project_id
          WHERE NOT k.fine_tuned AND NOT k.zdr AND NOT k.zdr_agreement
            AND k.endpoint <> '/v1/audio/transcriptions'
            AND NOT EXISTS (SELECT 1 FROM poisoned p WHERE p.org_id = k.org_id)
            AND coalesce(oa.state, 'NONE') <> 'OPT_OUT' AND coalesce(pa.state, 'NONE') <> 'OPT_OUT'
            AND (k.submitted_at < TIMESTAMPTZ '2023-03-01T00:00:00Z'
                 OR ((os.state = 'OPT_IN' OR ps.state = 'OPT_IN')
                     AND coalesce(os.state, 'NONE') <> 'OPT_OUT' AND coalesce(ps.state, 'NONE') <> 'OPT_OUT'))),
        licences AS (
          SELECT license_id FROM read_parquet('%1$s/licenses/*.parquet')
          WHERE license_id IS NOT NULL GROUP BY license_id
          HAVING count(*) = 1 AND any_value(permits_training) AND any_value(valid_from) <= %2$s
             AND (any_value(valid_to) IS NULL OR %2$s < any_value(valid_to)))
        SELECT c.* FROM corpus c JOIN ids ON ids.record_id = c.record_id AND ids.n = 1
        WHERE c.source_kind = 'PUBLIC_WEB'
           OR (c.source_kind = 'API' AND c.source_ref IN (SELECT request_id FROM api_ok))
           OR (c.source_kind = 'LICENSED' AND c.source_ref IN (SELECT license_id FROM licences))
        """.formatted(data, t);
  }
}
