# Many strata_file resources behind a small graph of strata_data, for the crash and lock tests
# (crates/strata-cli/tests/crash.rs, lock.rs). Every file's content depends on `generation`
# through a chain, so changing it updates every file.
#
# Expected after apply with generation = G: ./files/f-N.txt for N in 0..files, containing
# "file N of seed-G-link-(N % 10)\n"; state: strata_data.seed, strata_data.chain[0..9],
# strata_file.f[0..files-1].

variable "files" {
  type    = number
  default = 300
}

variable "generation" {
  type    = number
  default = 0
}

resource "strata_data" "seed" {
  input = "seed-${var.generation}"
}

resource "strata_data" "chain" {
  count = 10
  input = "${strata_data.seed.output}-link-${count.index}"
}

resource "strata_file" "f" {
  count   = var.files
  path    = "${path.module}/files/f-${count.index}.txt"
  content = "file ${count.index} of ${strata_data.chain[count.index % 10].output}\n"
}
