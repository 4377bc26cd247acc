# Hadoop configuration XML: markup characters are escaped.
format = "xml"
defaults = {
  "javax.jdo.option.ConnectionURL"      = "jdbc:postgresql://10.0.0.2:5432/metastore"
  "javax.jdo.option.ConnectionPassword" = "p<a>s&s\"w'd"
}
values = {
  "hive.server2.thrift.port" = "10001"
}
