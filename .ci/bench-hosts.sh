#!/usr/bin/env bash
# Benchmark: local hosts (namespace hosts, or containers with ISOLATION=container): for each N,
# create N hosts, wait until every one accepts SSH connections, destroy them; 5 rounds; prints
# the medians. Needs root and openssh-server (.ci/install-host-deps.sh).
#
# Usage: .ci/bench-hosts.sh [N...]            (default: 10 50)
#        ISOLATION=container .ci/bench-hosts.sh 2 10
#
# Not part of CI (a benchmark, not a timed test). Figures are in the README and
# docs/local-provider.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sizes=("${@:-10 50}")
args=()
if [[ -n ${ISOLATION:-} ]]; then
    args+=(--isolation "$ISOLATION")
fi
bash "$root/.ci/install-host-deps.sh"
cargo run --release --quiet --manifest-path "$root/Cargo.toml" -p strata-provider-local --example host_bench -- \
    "${args[@]}" ${sizes[*]}
