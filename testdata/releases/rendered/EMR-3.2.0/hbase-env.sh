# /etc/strata/hbase/hbase-env.sh
# Written by Strata from the release defaults and the cluster's values; edits made here are reported as drift.
export JAVA_HOME='/usr/lib/jvm/java-8-openjdk-amd64'
export HBASE_MANAGES_ZK='false'
export HBASE_LOG_DIR='/var/log/strata/hbase'
