# postgresql.conf: every value single-quoted; quotes doubled, backslashes escaped.
format = "postgresql"
defaults = {
  listen_addresses = "10.0.0.2"
  port             = "5432"
  shared_buffers   = "64MB"
}
values = {
  shared_buffers    = "128MB"
  "log_line_prefix" = "%m [%p] it's \\ "
}
