# A fresh plan: creates with unknown ids, count and for_each instances.
resource "strata_data" "root" {
  input = { name = "root", size = 3 }
}

resource "strata_data" "workers" {
  count            = 2
  input            = "worker-${count.index}"
  triggers_replace = [strata_data.root.id]
}

resource "strata_data" "by_key" {
  for_each = { a = 1, b = 2 }
  input    = each.value * 10
}

output "root_id" {
  value = strata_data.root.id
}
