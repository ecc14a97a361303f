"""Airflow calls Sluice for one poll cycle instead of running its own HTTP-to-Kafka code.

`./sluice poll-once` fetches one cycle of pages (cursor or next-link pagination, bounded by
`source.pagination.max_pages`), sends them through Sluice's throttled, idempotent producer, waits
until Kafka acknowledged every record and only then saves the cursor under the data dir. It exits 0
on success and non-zero with the reason on stderr, so Airflow's own retries and alerts apply. The
next run resumes from the saved cursor; repeated records are harmless (keyed upserts downstream).

Copy this file into your Airflow `dags/` folder and set SLUICE_HOME to the Sluice checkout.
"""
import os
from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.bash import BashOperator

SLUICE_HOME = os.environ.get("SLUICE_HOME", "/opt/sluice")
PIPELINE = "pipelines/demo-users.yaml"

with DAG(
    dag_id="sluice_poll_users",
    description="One Sluice poll cycle of the users API into Kafka every 5 minutes",
    start_date=datetime(2025, 1, 1),
    schedule="*/5 * * * *",
    catchup=False,
    max_active_runs=1,  # two cycles at once would race for the same cursor
    default_args={"retries": 2, "retry_delay": timedelta(minutes=1)},
    tags=["sluice"],
) as dag:
    BashOperator(
        task_id="poll_once",
        cwd=SLUICE_HOME,
        bash_command=f"./sluice poll-once {PIPELINE}",
        execution_timeout=timedelta(minutes=10),
    )
