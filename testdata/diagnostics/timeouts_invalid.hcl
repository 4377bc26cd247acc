# The engine's timeouts block: durations with units, known keys, one block per resource.

variable "limit" {
  default = "5m"
}

resource "strata_data" "durations" {
  input = "x"

  timeouts {
    create = "20 minutes" # ERROR: Invalid timeout duration
    update = "1.5h" # ERROR: Invalid timeout duration
    delete = "0s" # ERROR: Invalid timeout duration
    read   = "30" # ERROR: Invalid timeout duration
  }
}

resource "strata_data" "keys_and_types" {
  input = "x"

  timeouts {
    creat   = "5m" # ERROR: Unsupported argument
    update  = 30 # ERROR: Incorrect value type
    delete  = true # ERROR: Incorrect value type
    read    = var.limit # ERROR: Variables not allowed
    default = "1m" # ERROR: Unsupported argument
    nested { # ERROR: Unsupported block type
    }
  }
}

resource "strata_data" "twice" {
  input = "x"

  timeouts {
    create = "5m"
  }
  timeouts { # ERROR: Duplicate timeouts block
    delete = "5m"
  }
}

resource "strata_data" "labelled" {
  input = "x"

  timeouts "all" { # ERROR: Extraneous block label
    create = "5m"
  }
}

data "strata_file" "read_only" {
  path = "/etc/hostname"

  timeouts {
    read   = "10s"
    create = "1m" # ERROR: Unsupported argument
  }
}
