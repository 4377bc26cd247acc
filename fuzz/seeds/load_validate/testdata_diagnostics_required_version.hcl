strata {
  required_version = ">= 99.0" # ERROR: Unsupported Strata version
}
