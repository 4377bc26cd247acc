resource "script" "bootstrap" {
    content = <<EOT
#!/bin/sh
  echo "indented line stays"
	tab indented stays
echo ${ var.name }
EOT
  mode = "0755"
      stripped = <<-EOT
        first line
          second line
        EOT
  after = 1
}
user_data = <<CLOUD
runcmd:
  - [ sh, -c, "echo hello" ]
CLOUD
