variable "x" {}
variable "x" {} # ERROR: Duplicate variable declaration

resource "strata_data" "a" {}
resource "strata_data" "a" {} # ERROR: Duplicate resource configuration

output "o" { value = 1 }
output "o" { value = 2 } # ERROR: Duplicate output definition

locals { l = 1 }
locals { l = 2 } # ERROR: Duplicate local value definition
