output "a" {
  value = upper(["a"]) # ERROR: Invalid function argument
}
