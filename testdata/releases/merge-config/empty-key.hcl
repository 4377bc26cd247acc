format   = "properties"
defaults = {}
values = {
  "" = "x"
}
error = "cannot write `` to a properties file: the key is empty"
