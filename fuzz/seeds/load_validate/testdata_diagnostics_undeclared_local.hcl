locals { region = "cn-hangzhou" }

output "r" {
  value = local.regoin # ERROR: Reference to undeclared local value
}
