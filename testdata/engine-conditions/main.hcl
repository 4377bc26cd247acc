variable "size" { default = 5 }

resource "strata_data" "a" {
  input = var.size
  lifecycle {
    precondition {
      condition     = var.size < 10
      error_message = "size must be below 10"
    }
    postcondition {
      condition     = self.output == var.size
      error_message = "output must echo input"
    }
  }
}

resource "strata_data" "b" {
  input = strata_data.a.output
  lifecycle {
    postcondition {
      condition     = self.output > 100
      error_message = "b's output is too small: ${self.output}"
    }
  }
}

resource "strata_data" "c" {
  input = strata_data.b.id
}

check "health" {
  assert {
    condition     = var.size > 6
    error_message = "size is small"
  }
}
