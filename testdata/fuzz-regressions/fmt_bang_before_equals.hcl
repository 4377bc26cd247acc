resource "script" "boorap" {
  content  = <<EOT
EOT
esource "script" "b  = "0755en"
  stripetn  = <<EOT
EOT
  after    = 1
}
user_ {
  content   =<<EOT
EOT
e}}}}}}}}}}}}}}r}"! ==  = "0755"
  s8ripetn  */<<EOT
EOT
  after    = 1
}
