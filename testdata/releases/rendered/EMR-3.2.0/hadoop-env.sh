# /etc/strata/hadoop/hadoop-env.sh
# Written by Strata from the release defaults and the cluster's values; edits made here are reported as drift.
export JAVA_HOME='/usr/lib/jvm/java-8-openjdk-amd64'
export HADOOP_CONF_DIR='/etc/strata/hadoop'
export HADOOP_LOG_DIR='/var/log/strata/hadoop'
export YARN_LOG_DIR='/var/log/strata/hadoop'
