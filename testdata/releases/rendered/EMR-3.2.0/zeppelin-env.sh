# /etc/strata/zeppelin/zeppelin-env.sh
# Written by Strata from the release defaults and the cluster's values; edits made here are reported as drift.
export ZEPPELIN_PORT='8080'
export ZEPPELIN_LOG_DIR='/var/log/strata/zeppelin'
export SPARK_HOME='/opt/strata/spark'
export HADOOP_CONF_DIR='/etc/strata/hadoop'
