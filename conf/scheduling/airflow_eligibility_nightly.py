"""Nightly BASE_MODEL eligibility run with Apache Airflow (2.4+) and SparkSubmitOperator.

Copy this file to the DAGs folder; needs apache-airflow-providers-apache-spark and a Spark
connection ``spark_eligibility`` (host: yarn, k8s://..., or spark://...; extra: {"deploy-mode":
"cluster"}) on a machine with spark-submit for Spark 3.5.

The run is for the end of the data interval, the time the schedule fired: its run id is
nightly-base-model-<date>, its as_of that time. Clearing a past night's task re-runs that night
with the same id and as_of, so it decides exactly what the night decided (see README, "Running on
a cluster"). Exit code 6 (another run holds the output root) and 5 (infrastructure) are worth a
retry; 2, 3 and 4 are not, and fail the task for a person to look at.
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

with DAG(
    dag_id="eligibility_nightly_base_model",
    schedule="0 2 * * *",
    start_date=datetime(2026, 11, 1),
    catchup=False,
    max_active_runs=1,
    tags=["training-data", "governance"],
) as dag:
    SparkSubmitOperator(
        task_id="eligibility_run",
        conn_id="spark_eligibility",
        name="eligibility-nightly-base-model",
        java_class="dev.eligibility.jobs.cli.EligibilityCli",
        application="s3a://example-training-data/eligibility/eligibility-jobs-0.1.0-SNAPSHOT-spark.jar",
        files="s3a://example-training-data/eligibility/nightly-base-model.yaml",
        application_args=[
            "run",
            "--spec",
            "nightly-base-model.yaml",
            "--scheduled-for",
            "{{ data_interval_end | ts }}",
        ],
        conf={
            "spark.hadoop.fs.s3a.aws.credentials.provider": "org.apache.hadoop.fs.s3a.auth.IAMInstanceCredentialsProvider",
            "spark.hadoop.fs.s3a.directory.marker.retention": "keep",
            "spark.delta.logStore.s3a.impl": "io.delta.storage.S3SingleDriverLogStore",
            "spark.sql.shuffle.partitions": "400",
        },
        # A path, never the key: conf/lineage.yaml reads the signing key from this file.
        env_vars={"ELIGIBILITY_SIGNING_KEY_FILE": "/etc/eligibility/keys/signing.pem"},
        retries=2,
        retry_delay=timedelta(minutes=20),
    )
