# spark-defaults.conf: `key value`, read by Spark as properties in UTF-8, so non-ASCII stays.
format = "key-value"
defaults = {
  "spark.master"          = "spark://10.0.0.2:7077"
  "spark.executor.memory" = "512m"
  "spark.eventLog.dir"    = "file:/var/lib/strata/shared/spark-events"
}
values = {
  "spark.executor.memory"         = "1g"
  "spark.app.name"                = "Pi über alles"
  "spark.driver.extraJavaOptions" = "-Dx=1 -Dy=2"
}
