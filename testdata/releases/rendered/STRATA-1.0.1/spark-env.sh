# /etc/strata/spark/spark-env.sh
# Written by Strata from the release defaults and the cluster's values; edits made here are reported as drift.
export SPARK_LOCAL_IP='10.0.0.2'
export SPARK_WORKER_MEMORY='1g'
export SPARK_WORKER_CORES='1'
export SPARK_WORKER_DIR='/var/lib/strata/spark/work'
export SPARK_LOG_DIR='/var/log/strata/spark'
export PYSPARK_PYTHON='/usr/bin/python3'
export PYTHONPATH='/opt/strata/spark'
