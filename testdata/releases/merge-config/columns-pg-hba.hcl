# pg_hba.conf: the key holds the leading columns, the value the method and its options.
format = "columns"
defaults = {
  "local all postgres"              = "peer"
  "host metastore hive 10.0.0.0/24" = "scram-sha-256"
}
values = {
  "host metastore hive 10.0.0.0/24" = "md5"
  "host all all 0.0.0.0/0"          = "reject"
}
