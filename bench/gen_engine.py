#!/usr/bin/env python3
"""Writes the same graph of N resources for Strata and for Terraform, in one of three shapes.

Usage: gen_engine.py SHAPE N OUT_DIR

SHAPE is one of
  chain   resource rI depends on r{I-1} through `triggers_replace = [<type>.r{I-1}.id]`;
  fanout  one root, and N-1 resources rI (I = 1 .. N-1) with `input = <type>.root.id`;
  count   one root, and one resource `r` with `count = N-1` whose instances have
          `input = <type>.root.id`.
Each shape has N resource instances in total. Creates OUT_DIR/strata-SHAPE-N/main.hcl
(resources of type strata_data) and OUT_DIR/terraform-SHAPE-N/main.tf (Terraform's builtin
terraform_data), the same text apart from the type name and the file name.
"""

import os
import sys

SHAPES = ("chain", "fanout", "count")


def chain(resource_type: str, n: int) -> str:
    parts = []
    for i in range(n):
        trigger = f"  triggers_replace = [{resource_type}.r{i - 1}.id]\n" if i > 0 else ""
        parts.append(
            f'resource "{resource_type}" "r{i}" {{\n'
            f'  input = {{ i = {i}, name = "r-${{{i}}}" }}\n'
            f"{trigger}"
            "}\n"
        )
    parts.append(f'output "last_id" {{\n  value = {resource_type}.r{n - 1}.id\n}}\n')
    return "\n".join(parts)


def root(resource_type: str) -> str:
    return f'resource "{resource_type}" "root" {{\n  input = {{ name = "root" }}\n}}\n'


def fanout(resource_type: str, n: int) -> str:
    parts = [root(resource_type)]
    for i in range(1, n):
        parts.append(
            f'resource "{resource_type}" "r{i}" {{\n'
            f"  input = {resource_type}.root.id\n"
            "}\n"
        )
    parts.append(f'output "root_id" {{\n  value = {resource_type}.root.id\n}}\n')
    return "\n".join(parts)


def count(resource_type: str, n: int) -> str:
    parts = [
        root(resource_type),
        f'resource "{resource_type}" "r" {{\n'
        f"  count = {n - 1}\n"
        f"  input = {resource_type}.root.id\n"
        "}\n",
        f'output "root_id" {{\n  value = {resource_type}.root.id\n}}\n',
    ]
    return "\n".join(parts)


GENERATORS = {"chain": chain, "fanout": fanout, "count": count}


def write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main() -> None:
    if len(sys.argv) != 4 or sys.argv[1] not in SHAPES:
        sys.exit(__doc__)
    shape, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if n < 2:
        sys.exit("gen_engine.py: N must be at least 2")
    generate = GENERATORS[shape]
    write(os.path.join(out, f"strata-{shape}-{n}", "main.hcl"), generate("strata_data", n))
    write(os.path.join(out, f"terraform-{shape}-{n}", "main.tf"), generate("terraform_data", n))


if __name__ == "__main__":
    main()
