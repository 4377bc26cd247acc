resource "strata_file" "f" {
  path    = "/tmp/x"
  content = "hello"

  lifecycle {
    ignore_changes = [contnt] # ERROR: Invalid ignore_changes attribute
  }
}
