sum             = (1 + 2) * 3
negative        = -1
difference      = var.a - var.b
negate_call     = max(-1, -var.x)
not             = !var.enabled
compare         = var.a >= 2 && var.b != 3 || var.c == 4
conditional     = var.x ? "yes" : "no"
call            = join(",", ["a", "b"])
provider_call   = provider::strata::parse("x")
index           = var.list[0]
attribute_index = var.list.0
splat           = var.groups[*].name
legacy_splat    = var.groups.*.name
for_list        = [for g in var.groups : g.name if g.enabled]
for_map         = { for k, v in var.map : k => v... }
for_in_tuple    = [for x in [1, 2] : x * 2]
expand          = max(var.numbers...)
modulo          = 10 % 3
division        = 10 / 2
