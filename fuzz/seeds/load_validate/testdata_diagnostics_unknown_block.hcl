resorce "strata_data" "a" { # ERROR: Unsupported block type
}
