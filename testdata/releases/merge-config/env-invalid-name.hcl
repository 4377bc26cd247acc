format = "env"
defaults = {
  SPARK_WORKER_CORES = "1"
}
values = {
  "2BAD-NAME" = "x"
}
error = "cannot write `2BAD-NAME` to a env file: a shell variable name is letters, digits and `_`, not starting with a digit"
