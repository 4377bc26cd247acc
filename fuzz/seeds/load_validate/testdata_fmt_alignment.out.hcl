name          = "analytics"
release_label = "STRATA-1.0.0"
log_uri       = "s3://logs"

# A blank line above and this comment line both break the run.
a  = 1
bb = 22
# comment on its own line
ccc  = 333
dddd = 4444

block_a {
  x   = 1
  yyy = 2
}
after_block = true
z           = 0
