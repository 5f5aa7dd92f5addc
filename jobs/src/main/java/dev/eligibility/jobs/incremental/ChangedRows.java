package dev.eligibility.jobs.incremental;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.eligibility.jobs.decision.CorpusUnion;
import dev.eligibility.jobs.decision.InputTables;
import dev.eligibility.jobs.input.BoundTable;
import dev.eligibility.jobs.input.ColumnType;
import dev.eligibility.jobs.input.ContractColumn;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The record ids of every corpus row whose decision can differ between the base run (at
 * {@code as_of} B) and this run (at {@code as_of} R), computed from the inputs' change feeds and
 * their current rows; a Spark plan, never collected.
 *
 * <p>A row's decision reads its own keys, the other rows of its record id, and the reference rows
 * its {@code source_ref} names (a request, a training file, a licence) with what those lead to (a
 * request's fine-tuned model, its organization's ZDR agreements and consent events). So a record
 * id is re-decided when any of these changed: a corpus row of that id (inserted, updated or
 * deleted, before and after images both count); the request, file or licence a row of it names;
 * the model its request names; any consent event or ZDR agreement of its request's organization.
 * And when any instant it depends on lies between B and R, inclusive: every timestamp of those
 * reference rows (visibility, deletion, licence validity, consent effect and recording), and the
 * end of the abuse-monitoring retention ({@code submitted_at + retention}). Deciding more rows
 * than needed costs time, never correctness; every reading here is the wider one.
 */
final class ChangedRows {

  static final String REF = "__elig_changed_ref";
  static final String ORG = "__elig_changed_org";
  static final String MODEL = "__elig_changed_model";
  static final String ID = "__elig_changed_id";

  private final ChangeFeeds feeds;
  private final InputTables now;
  private final Instant baseAsOf;
  private final Instant asOf;
  private final Duration retention;

  ChangedRows(ChangeFeeds feeds, InputTables now, Instant baseAsOf, Instant asOf, Duration retention) {
    this.feeds = feeds;
    this.now = now;
    this.baseAsOf = baseAsOf;
    this.asOf = asOf;
    this.retention = retention;
  }

  /** The distinct record ids to decide again (one column, {@link #ID}; null stands for a null id). */
  Dataset<Row> recordIds() {
    Dataset<Row> refs = requestIds().union(keysOf(now.fineTuneFiles(), "file_id"));
    if (now.licenses().isPresent()) {
      refs = refs.union(keysOf(now.licenses().get(), "license_id"));
    }
    Dataset<Row> byReference = CorpusUnion.keys(now.corpus())
        .join(refs, col("source_ref").equalTo(col(REF)), "leftsemi")
        .select(col("record_id").as(ID));
    Dataset<Row> ids = byReference;
    for (BoundTable corpus : now.corpus()) {
      ids = ids.union(feeds.changedKeys(corpus, "record_id").toDF(ID));
    }
    return ids.distinct();
  }

  /** Requests changed, crossing an instant, of a changed organization or served by a changed model. */
  private Dataset<Row> requestIds() {
    BoundTable requests = now.apiRequests();
    Dataset<Row> rows = requests.rows();
    Column submitted = col("submitted_at");
    Column retentionEnds = within(submitted, baseAsOf.minus(retention), asOf.minus(retention));
    Dataset<Row> ofOrganization = rows.join(organizations(), col("org_id").equalTo(col(ORG)), "leftsemi");
    Dataset<Row> ofModel = rows.join(models(), col("model_id").equalTo(col(MODEL)), "leftsemi");
    return feeds.changedKeys(requests, "request_id").toDF(REF)
        .union(rows.filter(anyInstantWithin(requests).or(retentionEnds)).select(col("request_id").as(REF)))
        .union(ofOrganization.select(col("request_id").as(REF)))
        .union(ofModel.select(col("request_id").as(REF)));
  }

  /** Organizations whose consent events or ZDR agreements changed or cross an instant. */
  private Dataset<Row> organizations() {
    Dataset<Row> consent = keysOf(now.consentEvents(), "org_id");
    return now.zdrAgreements().map(zdr -> consent.union(keysOf(zdr, "org_id"))).orElse(consent).toDF(ORG);
  }

  private Dataset<Row> models() {
    return keysOf(now.fineTunedModels(), "model_id").toDF(MODEL);
  }

  /** The {@code key} of every row of {@code table} that changed, or that has an instant between B and R. */
  private Dataset<Row> keysOf(BoundTable table, String key) {
    return feeds.changedKeys(table, key).toDF(REF)
        .union(table.rows().filter(anyInstantWithin(table)).select(col(key).cast("string").as(REF)));
  }

  private Column anyInstantWithin(BoundTable table) {
    Column any = lit(false);
    for (ContractColumn column : table.contract().columns()) {
      if (column.type() == ColumnType.TIMESTAMP) {
        any = any.or(within(col(column.name()), baseAsOf, asOf));
      }
    }
    return any;
  }

  /** {@code instant} in {@code [from, to]}: both ends included, the wider reading. */
  private static Column within(Column instant, Instant from, Instant to) {
    return instant.between(lit(Timestamp.from(from)), lit(Timestamp.from(to)));
  }
}
