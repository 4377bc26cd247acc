# /etc/strata/spark/spark-env.sh
# Written by Strata from the release defaults and the cluster's values; edits made here are reported as drift.
export HADOOP_CONF_DIR='/etc/strata/hadoop'
export SPARK_LOG_DIR='/var/log/strata/spark'
