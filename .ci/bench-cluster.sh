#!/usr/bin/env bash
# Benchmark: examples/local-spark on this machine (cold apply with a phase breakdown, no-op
# plan, drift plan after a killed worker, repair apply, destroy); prints a Markdown table of
# medians. Needs root; installs the host dependencies and components first (both no-ops when
# present) and builds release binaries.
#
# Usage: .ci/bench-cluster.sh [--rounds 3] [--noop 5]
#
# Not part of CI (a benchmark, not a timed test). Figures are in the README and bench/README.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/.ci/install-host-deps.sh"
bash "$root/.ci/install-components.sh"
cargo build --release --quiet --manifest-path "$root/Cargo.toml" -p strata-cli -p strata-provider-emr
exec python3 "$root/bench/cluster.py" --strata "$root/target/release/strata" "$@"
