# spark-env.sh: exported, single-quoted, so `$` and backticks stay literal; a quote is closed,
# escaped and reopened.
format = "env"
defaults = {
  SPARK_WORKER_MEMORY = "1g"
  SPARK_WORKER_CORES  = "1"
  PYSPARK_PYTHON      = "/usr/bin/python3"
}
values = {
  SPARK_WORKER_MEMORY    = "2g"
  SPARK_DAEMON_JAVA_OPTS = "-Dname='it''s' $HOME `date`"
}
