format   = "columns"
defaults = {}
values = {
  "host all all 10.0.0.0/8" = "trust # everyone"
}
error = "cannot write `host all all 10.0.0.0/8` to a columns file: a row is one line without `#`"
