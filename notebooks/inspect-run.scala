// Inspect one committed run from spark-shell (Scala 2.12, Spark 3.5, Delta on the classpath):
//
//   spark-shell --packages io.delta:delta-spark_2.12:3.3.3 \
//     --conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension \
//     --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog \
//     -i notebooks/inspect-run.scala
//
// Set root and runId first (defaults: the bundled base-model sample). Reads the run's data only
// through its run record, at the exact table versions the record names. This script does not
// check the signature: run `jobs/bin/lineage verify --manifest ...` first.
import org.apache.spark.sql.functions._
import spark.implicits._

val root = sys.env.getOrElse("ELIGIBILITY_ROOT", "out/base-model")
val runId = sys.env.getOrElse("ELIGIBILITY_RUN", "sample-base-model")

// The manifest is a DSSE envelope; its payload (base64) is an in-toto Statement whose predicate is
// the run record.
val envelope = spark.read.option("multiLine", true).json(s"$root/manifests/$runId.json")
val statement = new String(java.util.Base64.getDecoder.decode(envelope.select("payload").head.getString(0)), "UTF-8")
val record = spark.read.json(Seq(statement).toDS).select("predicate.*")
record.select("run.*").show(false)
val outputs = record.select(explode(col("outputs")).as("o")).select("o.*")
outputs.show(false)

def version(table: String): Long =
  outputs.where(col("table") === table).select("delta_version").head.getLong(0)

val eligible = spark.read.format("delta").option("versionAsOf", version("eligible")).load(s"$root/eligible")
val exclusions = spark.read.format("delta").option("versionAsOf", version("exclusions")).load(s"$root/exclusions")
  .where(col("run_id") === runId)

// Outcome per reason and source kind (no payload is shown).
exclusions.groupBy("reason", "source_kind").count().orderBy("reason").show(50, false)
println(s"eligible rows: ${eligible.count()}")

// "Did this run contain data of organization X?": the run record counts eligible rows per
// organization; across runs, the run registry answers it (or `jobs/bin/lineage runs --org X`).
record.select("eligible_rows_by_organization.*").show(false)
spark.read.format("delta").load(s"$root/registry/run_organizations")
  .join(spark.read.format("delta").load(s"$root/registry/runs").select("run_id", "manifest_digest", "as_of"),
    Seq("run_id", "manifest_digest"))
  .orderBy(col("as_of").desc).show(false)
