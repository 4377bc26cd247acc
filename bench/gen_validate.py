#!/usr/bin/env python3
"""Writes the same configuration of N chained resources for Strata and for Terraform.

Usage: gen_validate.py N OUT_DIR

Creates OUT_DIR/strata-N/main.hcl (resources of type strata_data) and
OUT_DIR/terraform-N/main.tf (the builtin terraform_data). Resource rI takes
`input = { i = I, name = "r-${I}" }` and, for I > 0, depends on the previous one through
`triggers_replace = [<type>.r{I-1}.id]`, so the references form one chain of N. A few
variables, locals and outputs use the usual expression forms.
"""

import os
import sys


def configuration(resource_type: str, n: int) -> str:
    parts = [
        'variable "prefix" {\n'
        "  type    = string\n"
        '  default = "bench"\n'
        "}\n",
        'variable "replicas" {\n'
        "  type    = number\n"
        "  default = 3\n"
        "}\n",
        'variable "tags" {\n'
        "  type    = map(string)\n"
        '  default = { team = "data", env = "bench" }\n'
        "}\n",
        "locals {\n"
        '  name     = "${var.prefix}-${var.replicas}"\n'
        "  tag_keys = [for k, v in var.tags : upper(k)]\n"
        "  count    = var.replicas * 2\n"
        "}\n",
    ]
    for i in range(n):
        trigger = f"  triggers_replace = [{resource_type}.r{i - 1}.id]\n" if i > 0 else ""
        parts.append(
            f'resource "{resource_type}" "r{i}" {{\n'
            f'  input = {{ i = {i}, name = "r-${{{i}}}" }}\n'
            f"{trigger}"
            "}\n"
        )
    parts.append(
        'output "first" {\n'
        f"  value = {resource_type}.r0.output\n"
        "}\n"
    )
    parts.append(
        'output "last_id" {\n'
        f"  value = {resource_type}.r{n - 1}.id\n"
        "}\n"
    )
    parts.append(
        'output "name" {\n'
        "  value = local.name\n"
        "}\n"
    )
    return "\n".join(parts)


def write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    n = int(sys.argv[1])
    out = sys.argv[2]
    write(os.path.join(out, f"strata-{n}", "main.hcl"), configuration("strata_data", n))
    write(os.path.join(out, f"terraform-{n}", "main.tf"), configuration("terraform_data", n))


if __name__ == "__main__":
    main()
