output "a" {
  value = lenght([1, 2]) # ERROR: Call to unknown function
}
