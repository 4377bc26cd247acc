# ERROR: EMR-9.0.0.hcl: component_templates names `emr-components.hcl`, which is not a catalog file
name                = "EMR-9.0.0"
released            = "2030-01"
status              = "current"
notes               = ""
component_templates = "emr-components.hcl"

component "SPARK" {
  version = "9.0.0"
}
