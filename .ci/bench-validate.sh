#!/usr/bin/env bash
# Benchmark: `strata validate` against `terraform validate` on the same configuration.
#
# Usage: .ci/bench-validate.sh            (sizes 1000 and 10000, 5 repetitions)
#        BENCH_SIZES="2000" BENCH_REPS=3 .ci/bench-validate.sh
#
# 1. Builds `strata` in release (`cargo build --release -p strata-cli`).
# 2. bench/gen_validate.py writes, for each size N, bench/out/strata-N/main.hcl and
#    bench/out/terraform-N/main.tf (git-ignored): N resources (strata_data or Terraform's
#    builtin terraform_data) chained by `triggers_replace = [<type>.r{I-1}.id]`, plus a few
#    variables, locals and outputs. `terraform init` runs once per directory; terraform_data
#    lives in the builtin provider, so it downloads nothing.
# 3. Runs both tools once to check that each accepts the configuration (exit code 0), then
#    BENCH_REPS times each, interleaved (strata N, terraform N, ...), in the directory.
# 4. Prints tool, N, median wall time, peak RSS (the largest of the repetitions) and
#    the ratios terraform/strata.
#
# Wall time comes from `date +%s%N` around each run; peak RSS from GNU time's `%M`
# (/usr/bin/time, Debian package `time`: installed with apt-get if missing).
# Terraform: TERRAFORM (default `terraform` on PATH, 1.11.4 here) with its upgrade check
# (CHECKPOINT_DISABLE) off and an empty CLI configuration file.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sizes=(${BENCH_SIZES:-1000 10000})
reps="${BENCH_REPS:-5}"
terraform="${TERRAFORM:-terraform}"
out="$root/bench/out"

if [[ ! -x /usr/bin/time ]]; then
    echo "bench: installing GNU time (Debian package time)" >&2
    apt-get update -qq && apt-get install -y -qq time >/dev/null
fi
command -v "$terraform" >/dev/null || { echo "bench: $terraform not found" >&2; exit 1; }

cargo build --release -p strata-cli --manifest-path "$root/Cargo.toml"
strata="$root/target/release/strata"

export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 NO_COLOR=1
mkdir -p "$out"
: > "$out/terraformrc"
export TF_CLI_CONFIG_FILE="$out/terraformrc"

for n in "${sizes[@]}"; do
    python3 "$root/bench/gen_validate.py" "$n" "$out"
    (cd "$out/terraform-$n" && "$terraform" init -input=false -no-color >/dev/null)
done

# run TOOL N: runs one validate; appends "TOOL N SECONDS RSS_KIB" to $out/samples.
run() {
    local tool=$1 n=$2 dir cmd start end
    if [[ $tool == strata ]]; then
        dir="$out/strata-$n"; cmd=("$strata" validate)
    else
        dir="$out/terraform-$n"; cmd=("$terraform" validate -no-color)
    fi
    start=$(date +%s%N)
    if ! (cd "$dir" && /usr/bin/time -f %M -o "$out/rss" "${cmd[@]}" >"$out/last.log" 2>&1); then
        echo "bench: $tool validate failed for N=$n:" >&2
        cat "$out/last.log" >&2
        exit 1
    fi
    end=$(date +%s%N)
    echo "$tool $n $(( (end - start) / 1000 )) $(tail -n1 "$out/rss")" >>"$out/samples"
}

: > "$out/samples"
for n in "${sizes[@]}"; do run strata "$n"; run terraform "$n"; done   # check + warm up
: > "$out/samples"
for (( rep = 1; rep <= reps; rep++ )); do
    for n in "${sizes[@]}"; do run strata "$n"; run terraform "$n"; done
done

python3 - "$out/samples" <<'PY'
import statistics, sys
samples = {}
for line in open(sys.argv[1]):
    tool, n, micros, rss = line.split()
    samples.setdefault((tool, int(n)), []).append((int(micros) / 1e6, int(rss)))
print(f"{'tool':<10} {'N':>6} {'median s':>9} {'min s':>7} {'peak RSS MiB':>13}   terraform/strata")
for n in sorted({n for _, n in samples}):
    stats = {}
    for tool in ("strata", "terraform"):
        times = [t for t, _ in samples[(tool, n)]]
        rss = max(r for _, r in samples[(tool, n)]) / 1024
        stats[tool] = (statistics.median(times), min(times), rss)
    for tool in ("strata", "terraform"):
        median, fastest, rss = stats[tool]
        ratio = ""
        if tool == "terraform":
            ratio = f"time {median / stats['strata'][0]:.1f}x, RSS {rss / stats['strata'][2]:.1f}x"
        print(f"{tool:<10} {n:>6} {median:>9.3f} {fastest:>7.3f} {rss:>13.1f}   {ratio}")
PY
