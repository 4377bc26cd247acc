output "a" {
  value = join(",") # ERROR: Not enough function arguments
}

output "b" {
  value = upper("a", "b") # ERROR: Too many function arguments
}
