# Java properties (zoo.cfg): a user value replaces the default in place; keys the defaults do
# not have follow in key order. Keys escape spaces, `=` and `:`; values only a leading space
# and backslashes; anything outside printable ASCII becomes \uXXXX (read as ISO-8859-1).
format = "properties"
defaults = {
  tickTime   = "2000"
  dataDir    = "/var/lib/strata/zookeeper"
  clientPort = "2181"
  "server.1" = "10.0.0.2:2888:3888"
}
values = {
  clientPort    = "2182"
  "a key:with=" = " leading space and a \\ backslash"
  "zz.unicode"  = "café ☕ 𝄞"
  "m.empty"     = ""
}
