greeting = "Hello, ${ var.name }!"
list = "%{ for x in var.items }${ x }, %{ endfor }"
cond = "%{ if var.enabled }on%{ else }off%{ endif }"
strip = "${ var.a ~}  %{~ if true ~} b %{~ endif ~}"
nested = "list: ${ join(",", [for s in var.list : "<${ s }>"]) }"
escaped = "$${not_interpolated} %%{not_a_directive}"
quote = "a \"quoted\" word"
heredoc_template = <<EOT
%{ for host in var.hosts ~}
server ${ host.name } ${ host.ip }
%{ endfor ~}
EOT
