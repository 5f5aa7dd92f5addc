// Inspect one committed run from spark-shell (Scala 2.12, Spark 3.5, Delta on the classpath):
//
//   spark-shell --packages io.delta:delta-spark_2.12:3.3.3 \
//     --conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension \
//     --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog \
//     -i notebooks/inspect-run.scala
//
// Set root and runId first (defaults: the bundled base-model sample). Reads the run's data only
// through its run record, at the exact table versions the record names.
import org.apache.spark.sql.functions._

val root = sys.env.getOrElse("ELIGIBILITY_ROOT", "out/base-model")
val runId = sys.env.getOrElse("ELIGIBILITY_RUN", "sample-base-model")

val record = spark.read.option("multiLine", true).json(s"$root/manifests/$runId.json")
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

// "Did this run contain data of organization X?" needs the API provenance: join eligible API rows
// to api_requests on source_ref = request_id and look at org_id (the lineage issue records this
// per organization in the run record).
