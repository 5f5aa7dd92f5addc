"""Nightly BASE_MODEL eligibility run with Apache Airflow (2.4+) and SparkSubmitOperator.

Copy this file to the DAGs folder; needs apache-airflow-providers-apache-spark and a Spark
connection ``spark_eligibility`` (host: yarn, k8s://..., or spark://...; extra: {"deploy-mode":
"cluster"}) on a machine with spark-submit for Spark 3.5.

The run is for the end of the data interval, the time the schedule fired: its run id is
nightly-base-model-<date>, its as_of that time. Clearing a past night's task re-runs that night
with the same id and as_of, so it decides exactly what the night decided (see docs/operations.md,
"Schedule"). Only infrastructure failures and a busy output root (exit codes 5 and 6) are retried;
a spec, input, conflict or drift failure (2, 3, 4, 7) fails the task for good, for a person to
look at. In cluster deploy mode spark-submit cannot see the driver's exit code, so the run writes
its outcome (--outcome-file) and the task reads it to decide (needs
apache-airflow-providers-amazon for S3).

Lineage: the driver sends OpenLineage events to Marquez (OPENLINEAGE__ variables, the client's
own configuration) as a child of this task's run (OPENLINEAGE_PARENT_ID from the OpenLineage
provider's lineage_parent_id macro; needs apache-airflow-providers-openlineage). The driver's
environment is set for YARN (appMasterEnv) and Kubernetes (driverEnv) cluster mode.
"""
import json
from datetime import datetime, timedelta

from airflow import DAG
from airflow.exceptions import AirflowFailException
from airflow.providers.amazon.aws.hooks.s3 import S3Hook
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

class EligibilityRunOperator(SparkSubmitOperator):
    """SparkSubmitOperator whose failures are retried only when the run's outcome says a retry can help."""

    def execute(self, context):
        try:
            return super().execute(context)
        except Exception as error:
            outcome = read_outcome(self.application_args)
            if outcome is None or not outcome.get("retry", False):
                raise AirflowFailException(
                    "eligibility run failed for good: "
                    + (outcome["message"] if outcome else "no outcome written (spec or configuration error)")
                ) from error
            raise


def read_outcome(application_args):
    """The outcome file the run wrote (--outcome-file), or None."""
    uri = application_args[application_args.index("--outcome-file") + 1]
    bucket, key = uri.split("://", 1)[1].split("/", 1)
    hook = S3Hook()
    if not hook.check_for_key(key, bucket_name=bucket):
        return None
    return json.loads(hook.read_key(key, bucket_name=bucket))


with DAG(
    dag_id="eligibility_nightly_base_model",
    schedule="0 2 * * *",
    start_date=datetime(2026, 11, 1),
    catchup=False,
    max_active_runs=1,
    tags=["training-data", "governance"],
) as dag:
    EligibilityRunOperator(
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
            "--outcome-file",
            "s3a://example-training-data/eligibility/outcomes/nightly-base-model-{{ data_interval_end | ds }}.json",
        ],
        conf={
            "spark.hadoop.fs.s3a.aws.credentials.provider": "org.apache.hadoop.fs.s3a.auth.IAMInstanceCredentialsProvider",
            "spark.hadoop.fs.s3a.directory.marker.retention": "keep",
            "spark.delta.logStore.s3a.impl": "io.delta.storage.S3SingleDriverLogStore",
            "spark.sql.shuffle.partitions": "400",
            "spark.yarn.appMasterEnv.OPENLINEAGE__TRANSPORT__TYPE": "http",
            "spark.yarn.appMasterEnv.OPENLINEAGE__TRANSPORT__URL": "http://marquez.example.internal:5000",
            "spark.yarn.appMasterEnv.OPENLINEAGE_NAMESPACE": "training-data",
            "spark.yarn.appMasterEnv.OPENLINEAGE_PARENT_ID": "{{ macros.OpenLineageProviderPlugin.lineage_parent_id(task_instance) }}",
            "spark.kubernetes.driverEnv.OPENLINEAGE__TRANSPORT__TYPE": "http",
            "spark.kubernetes.driverEnv.OPENLINEAGE__TRANSPORT__URL": "http://marquez.example.internal:5000",
            "spark.kubernetes.driverEnv.OPENLINEAGE_NAMESPACE": "training-data",
            "spark.kubernetes.driverEnv.OPENLINEAGE_PARENT_ID": "{{ macros.OpenLineageProviderPlugin.lineage_parent_id(task_instance) }}",
        },
        # A path, never the key: conf/lineage.yaml reads the signing key from this file.
        env_vars={"ELIGIBILITY_SIGNING_KEY_FILE": "/etc/eligibility/keys/signing.pem"},
        retries=2,
        retry_delay=timedelta(minutes=20),
    )
