#!/usr/bin/env bash
# Benchmark: the Strata engine (`plan`, `apply`, no-op `plan`) against Terraform on the same graphs.
#
# Usage: .ci/bench-engine.sh                                  (sizes 100 1000 5000)
#        BENCH_SIZES="100 1000" BENCH_REPS=1 .ci/bench-engine.sh
#        BENCH_SHAPES="chain" BENCH_SIZES=5000 .ci/bench-engine.sh
#
# BENCH_TOOLS="strata strata-plugin terraform" adds the built-in provider run out of process
# (STRATA_BUILTIN_PROVIDERS=plugin: every plan/apply call crosses the plugin protocol to the
# strata-provider-strata executable) and columns comparing it with the in-process run.
#
# Not part of CI: with the default sizes Terraform alone takes 20-30 minutes on 2 cores.
#
# 1. Builds `strata` in release (`cargo build --release -p strata-cli`) and copies the binary
#    to bench/out/engine/ so the whole run measures one build. STRATA=/path/to/strata skips the
#    build and measures that binary instead.
# 2. bench/gen_engine.py writes, for each shape (chain, fanout, count) and size N, the same
#    graph of N resource instances for Strata (strata_data, main.hcl) and Terraform (its builtin
#    terraform_data, main.tf) under bench/out/engine/gen/ (git-ignored).
# 3. For each N, repetition, shape and tool (interleaved: strata, terraform), in a fresh copy
#    of the generated directory (`terraform init` first, untimed; it downloads nothing):
#      plan   `strata plan --detailed-exitcode`  /  `terraform plan -input=false -detailed-exitcode`
#             with no state: must exit 2 (changes);
#      apply  `strata apply --auto-approve --parallelism 10`  /
#             `terraform apply -auto-approve -input=false -parallelism=10`: must exit 0, and the
#             state must then list exactly N instances;
#      noop   the same plan again: must exit 0 (no changes).
#    Any other outcome stops the bench with the tool's output.
# 4. Prints, per shape, N and step: median wall time of each tool, terraform/strata, peak RSS
#    of each tool (the largest of the repetitions) and terraform/strata; also written as a
#    Markdown table to bench/out/engine/table.md, raw samples to bench/out/engine/samples.
#
# BENCH_REPS: repetitions per (shape, N); default 3 for N <= 1000 and 1 above (Terraform takes
# minutes there). BENCH_TIMEOUT: seconds allowed for one command (default 1800).
# Wall time and peak RSS of each run come from bench/timed.c (compiled here with cc): the
# clock read just before the fork and after `wait4`, and the command's `ru_maxrss` (what GNU
# time's `%M` reports). Up to run 7 the wall time was `date +%s%N` around `timeout` and
# `/usr/bin/time`, which also counted 2-5 ms of starting those (see bench/README.md).
# Terraform: TERRAFORM (default `terraform` on PATH, 1.11.4 here) with its upgrade check
# (CHECKPOINT_DISABLE) off and an empty CLI configuration file.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
sizes=(${BENCH_SIZES:-100 1000 5000})
shapes=(${BENCH_SHAPES:-chain fanout count})
tools=(${BENCH_TOOLS:-strata terraform})
timeout_s="${BENCH_TIMEOUT:-1800}"
terraform="${TERRAFORM:-terraform}"
out="$root/bench/out/engine"

command -v cc >/dev/null || { echo "bench: cc not found (bench/timed.c needs a C compiler)" >&2; exit 1; }
command -v "$terraform" >/dev/null || { echo "bench: $terraform not found" >&2; exit 1; }

if [[ -z ${STRATA:-} ]]; then
    cargo build --release -p strata-cli -p strata-provider-strata --manifest-path "$root/Cargo.toml"
fi

rm -rf "$out"
mkdir -p "$out"
timed="$out/timed"
cc -O2 -Wall -o "$timed" "$root/bench/timed.c"
cp -p "${STRATA:-$root/target/release/strata}" "$out/strata"
strata="$out/strata"
# The plugin is found next to the strata executable (the search path's third entry).
cp -p "$(dirname "${STRATA:-$root/target/release/strata}")/strata-provider-strata" "$out/" 2>/dev/null || true

export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 NO_COLOR=1
: > "$out/terraformrc"
export TF_CLI_CONFIG_FILE="$out/terraformrc"

{
    echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "machine: $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, $(uname -sr)"
    if [[ -n ${STRATA:-} ]]; then
        echo "strata: $STRATA (given), built $(date -u -r "$strata" '+%Y-%m-%d %H:%M UTC')"
    else
        echo "strata: built now from $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
            "with $(git -C "$root" status --porcelain -- crates 2>/dev/null | wc -l) changed files under crates/"
    fi
    echo "terraform: $("$terraform" version | head -n1)"
    echo "command: BENCH_SIZES=\"${sizes[*]}\" BENCH_SHAPES=\"${shapes[*]}\" BENCH_REPS=${BENCH_REPS:-default} BENCH_TIMEOUT=$timeout_s .ci/bench-engine.sh"
} > "$out/about"
cat "$out/about" >&2

for n in "${sizes[@]}"; do
    for shape in "${shapes[@]}"; do
        python3 "$root/bench/gen_engine.py" "$shape" "$n" "$out/gen"
    done
done

# fail MESSAGE: prints MESSAGE and the last command's output, stops the bench.
fail() {
    echo "bench: $1" >&2
    tail -n 60 "$out/last.log" >&2
    exit 1
}

# run TOOL SHAPE N STEP EXPECTED_RC CMD...: runs CMD in the current directory; stops the bench
# unless it exits with EXPECTED_RC; appends "TOOL SHAPE N STEP MICROS RSS_KIB ok" to
# $out/samples. When CMD runs out of BENCH_TIMEOUT, appends "... timeout" and returns 3 (the
# caller then skips the remaining steps of that directory).
run() {
    local tool=$1 shape=$2 n=$3 step=$4 expected=$5 elapsed_us rss_kb rc=0
    shift 5
    "$timed" "$timeout_s" "$out/time" "$@" >"$out/last.log" 2>&1 || rc=$?
    read -r elapsed_us rss_kb _ <"$out/time"
    if [[ $rc -eq 124 ]]; then
        echo "bench: $tool $step ($shape, N=$n) ran out of BENCH_TIMEOUT=${timeout_s}s" >&2
        echo "$tool $shape $n $step $elapsed_us 0 timeout" >>"$out/samples"
        return 3
    fi
    if [[ $rc -ne $expected ]]; then
        fail "$tool $step ($shape, N=$n) exited $rc, expected $expected ($*)"
    fi
    echo "$tool $shape $n $step $elapsed_us $rss_kb ok" >>"$out/samples"
}

# one TOOL SHAPE N: plan, apply, no-op plan in a fresh copy of the generated directory.
one() {
    local tool=$1 shape=$2 n=$3 dir listed
    dir="$out/run/$tool-$shape-$n"
    rm -rf "$dir"
    mkdir -p "$out/run"
    cp -r "$out/gen/${tool%-plugin}-$shape-$n" "$dir"
    cd "$dir"
    if [[ $tool == strata-plugin ]]; then
        export STRATA_BUILTIN_PROVIDERS=plugin
    else
        unset STRATA_BUILTIN_PROVIDERS
    fi
    if [[ $tool == strata* ]]; then
        run "$tool" "$shape" "$n" plan 2 "$strata" plan --detailed-exitcode || { cd "$root"; return 0; }
        run "$tool" "$shape" "$n" apply 0 "$strata" apply --auto-approve --parallelism 10 || { cd "$root"; return 0; }
        listed=$("$strata" state list 2>"$out/last.log" | grep -c . || true)
        [[ $listed -eq $n ]] || fail "strata state lists $listed instances after apply ($shape, N=$n), expected $n"
        run "$tool" "$shape" "$n" noop 0 "$strata" plan --detailed-exitcode || { cd "$root"; return 0; }
    else
        "$terraform" init -input=false -no-color >"$out/last.log" 2>&1 || fail "terraform init failed"
        run terraform "$shape" "$n" plan 2 "$terraform" plan -input=false -detailed-exitcode -no-color -parallelism=10 || { cd "$root"; return 0; }
        run terraform "$shape" "$n" apply 0 "$terraform" apply -auto-approve -input=false -no-color -parallelism=10 || { cd "$root"; return 0; }
        listed=$("$terraform" state list 2>"$out/last.log" | grep -c . || true)
        [[ $listed -eq $n ]] || fail "terraform state lists $listed instances after apply ($shape, N=$n), expected $n"
        run terraform "$shape" "$n" noop 0 "$terraform" plan -input=false -detailed-exitcode -no-color -parallelism=10 || { cd "$root"; return 0; }
    fi
    cd "$root"
    rm -rf "$dir"
}

: > "$out/samples"
for n in "${sizes[@]}"; do
    if [[ -n ${BENCH_REPS:-} ]]; then reps=$BENCH_REPS; elif (( n <= 1000 )); then reps=3; else reps=1; fi
    for (( rep = 1; rep <= reps; rep++ )); do
        for shape in "${shapes[@]}"; do
            for tool in "${tools[@]}"; do
                echo "bench: N=$n rep $rep/$reps $shape $tool" >&2
                one "$tool" "$shape" "$n"
            done
        done
    done
done

python3 - "$out/samples" "$out/table.md" <<'PY'
import statistics, sys
samples = {}
for line in open(sys.argv[1]):
    tool, shape, n, step, micros, rss, status = line.split()
    samples.setdefault((shape, int(n), step, tool), []).append((int(micros) / 1e6, int(rss), status))

def summary(key):
    """(median seconds or None, text, peak MiB or None, lower bound?) of one cell."""
    got = samples.get(key)
    if not got:
        return None, "-", None, False
    if any(status == "timeout" for _, _, status in got):
        t = min(x for x, _, status in got if status == "timeout")
        return t, f">{t:.0f}", None, True
    median = statistics.median(x for x, _, _ in got)
    return median, f"{median:.3f}", max(r for _, r, _ in got) / 1024, False

shapes = [s for s in ("chain", "fanout", "count") if any(k[0] == s for k in samples)]
sizes = sorted({k[1] for k in samples})
plugin = any(k[3] == "strata-plugin" for k in samples)
header = ("shape", "N", "step", "reps", "strata s", "terraform s", "time ×",
          "strata MiB", "terraform MiB", "RSS ×") + (("plugin s", "plugin/in-process ×", "terraform/plugin ×") if plugin else ())
rows = []
for shape in shapes:
    for n in sizes:
        for step in ("plan", "apply", "noop"):
            s_key, t_key = (shape, n, step, "strata"), (shape, n, step, "terraform")
            if s_key not in samples and t_key not in samples:
                continue
            st, st_text, sr, _ = summary(s_key)
            tt, tt_text, tr, t_bound = summary(t_key)
            ratio = "-" if st is None or tt is None else (">" if t_bound else "") + f"{tt / st:.0f}"
            rss_ratio = "-" if sr is None or tr is None else f"{tr / sr:.1f}"
            row = (shape, str(n), step, str(len(samples.get(s_key, []))), st_text, tt_text, ratio,
                   "-" if sr is None else f"{sr:.1f}", "-" if tr is None else f"{tr:.1f}", rss_ratio)
            if plugin:
                pt, pt_text, _, _ = summary((shape, n, step, "strata-plugin"))
                over = "-" if pt is None or st is None else f"{pt / st:.2f}"
                tp = "-" if pt is None or tt is None else (">" if t_bound else "") + f"{tt / pt:.0f}"
                row += (pt_text, over, tp)
            rows.append(row)
widths = [max(len(r[i]) for r in rows + [header]) for i in range(len(header))]
line = lambda r: "  ".join(c.rjust(w) if i > 2 else c.ljust(w) for i, (c, w) in enumerate(zip(r, widths)))
print(line(header))
for r in rows:
    print(line(r))
with open(sys.argv[2], "w", encoding="utf-8") as f:
    f.write("| " + " | ".join(header) + " |\n")
    f.write("|" + "|".join("---" if i < 3 else "---:" for i in range(len(header))) + "|\n")
    for r in rows:
        f.write("| " + " | ".join(r) + " |\n")
PY
