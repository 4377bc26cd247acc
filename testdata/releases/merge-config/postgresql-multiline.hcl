format   = "postgresql"
defaults = {}
values = {
  log_line_prefix = "two\nlines"
}
error = "cannot write `log_line_prefix` to a postgresql file: a value is one line"
