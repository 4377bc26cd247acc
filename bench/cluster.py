#!/usr/bin/env python3
"""Benchmark of examples/local-spark: a real ZooKeeper + Spark cluster on local hosts.

For each round: a cold apply (hosts made, components linked from the machine's cache,
configuration written, services started in the release's order and health-checked, the Pi
job run), broken down into phases read from the apply's progress lines as they arrive; no-op
plans (refresh over SSH); a worker killed from outside, then drift plans; the repair apply;
destroy. Prints one table of medians (and minimum / maximum) over the rounds, and the phase
breakdown of the cold apply, whose phases follow each other: together they are its critical
path.

Usage (as root, after .ci/install-host-deps.sh and .ci/install-components.sh; the wrapper
.ci/bench-cluster.sh does both and builds release binaries):

    python3 bench/cluster.py [--rounds 3] [--noop 5] [--strata target/release/strata]

Not part of CI: a benchmark, not a timed test. Results are in the README and bench/README.md.
"""

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLUSTER = "emr_cluster.analytics"
JOB = "emr_job.pi"
# Every command is bounded: a cold apply takes well under a minute here.
LIMIT = 600

OUTPUTS = """
output "bench_cluster" {
  value = {
    id    = emr_cluster.analytics.id
    hosts = emr_cluster.analytics.hosts
  }
}
"""


def run_timed(strata, workdir, args, expect):
    """Runs strata with args; returns (seconds, [(seconds since start, stderr line)])."""
    started = time.monotonic()
    process = subprocess.Popen(
        [strata, "--chdir", workdir, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "CI": "true", "NO_COLOR": "1"},
    )
    lines = []
    stdout = []

    def read_stderr():
        for line in process.stderr:
            lines.append((time.monotonic() - started, line.rstrip("\n")))

    def read_stdout():
        stdout.append(process.stdout.read())

    readers = [threading.Thread(target=read_stderr), threading.Thread(target=read_stdout)]
    for reader in readers:
        reader.start()
    try:
        code = process.wait(timeout=LIMIT)
    except subprocess.TimeoutExpired:
        process.kill()
        raise SystemExit(f"strata {' '.join(args)} took more than {LIMIT} s")
    for reader in readers:
        reader.join()
    elapsed = time.monotonic() - started
    if code != expect:
        text = "\n".join(line for _, line in lines)
        raise SystemExit(f"strata {' '.join(args)} exited {code}, expected {expect}:\n{text}\n{''.join(stdout)}")
    return elapsed, lines, "".join(stdout)


def milestone(line):
    """The phase a progress line ends, or None."""
    if not line.startswith(CLUSTER + ":") and not line.startswith(JOB + ":"):
        return None
    message = line.split(": ", 1)[1]
    if line.startswith(JOB + ":"):
        if message.startswith("Creation complete"):
            return "job (spark-submit of pi.py, driver to exit)"
        return None
    if message.startswith("Creating..."):
        return "plan and start (CLI, plugins, refresh)"
    if message.startswith("hosts ready"):
        return "hosts (namespaces, sshd, SSH reachable)"
    if message.startswith("components linked, configuration written"):
        return "components and configuration (linked from the cache, files written)"
    match = re.match(r"([a-z-]+) started on", message)
    if match:
        return f"start {match.group(1)}"
    match = re.match(r"([a-z-]+) healthy on", message)
    if match:
        return f"health check {match.group(1)}"
    if message.startswith("workers ALIVE"):
        return "health check spark-worker (ALIVE in the master's JSON)"
    if message.startswith("Creation complete"):
        return "cluster recorded"
    return None


def phases(lines, total):
    """Consecutive phases: each ends at the last line of its kind before the next phase."""
    ends = []
    for at, line in lines:
        name = milestone(line)
        if name is None:
            continue
        if ends and ends[-1][0] == name:
            ends[-1] = (name, at)
        else:
            ends.append((name, at))
    result = []
    previous = 0.0
    for name, at in ends:
        result.append((name, at - previous))
        previous = at
    result.append(("state written, exit", total - previous))
    return result


def kill_worker(workdir, strata):
    """SIGKILLs the Spark worker JVM on analytics-core-0 from outside its host."""
    _, _, out = run_timed(strata, workdir, ["output", "--json", "bench_cluster"], 0)
    cluster = json.loads(out)
    host = next(h for h in cluster["hosts"] if h["name"] == "analytics-core-0")
    netns = f"strata.emr-{cluster['id']}.{host['id']}"
    pids = subprocess.run(["ip", "netns", "pids", netns], capture_output=True, text=True, check=True, timeout=30)
    killed = 0
    for pid in pids.stdout.split():
        try:
            with open(f"/proc/{pid}/comm") as comm:
                if comm.read().strip() == "java":
                    os.kill(int(pid), signal.SIGKILL)
                    killed += 1
        except (FileNotFoundError, ProcessLookupError):
            pass
    if killed != 1:
        raise SystemExit(f"expected one JVM (the worker) on {netns}, killed {killed}")
    time.sleep(0.5)


def round_of(strata, noop_count):
    workdir = tempfile.mkdtemp(prefix="strata-bench-cluster-")
    try:
        for name in ("main.hcl", "pi.py"):
            shutil.copy(os.path.join(REPO, "examples", "local-spark", name), workdir)
        with open(os.path.join(workdir, "bench.hcl"), "w") as extra:
            extra.write(OUTPUTS)
        figures = {}
        cold, lines, _ = run_timed(strata, workdir, ["apply", "--auto-approve"], 0)
        figures["cold apply (artifacts cached)"] = [cold]
        breakdown = phases(lines, cold)
        figures["no-op plan (refresh over SSH)"] = [
            run_timed(strata, workdir, ["plan", "--detailed-exitcode"], 0)[0] for _ in range(noop_count)
        ]
        kill_worker(workdir, strata)
        figures["drift plan after a killed worker"] = [
            run_timed(strata, workdir, ["plan", "--detailed-exitcode"], 2)[0] for _ in range(noop_count)
        ]
        repair, _, _ = run_timed(strata, workdir, ["apply", "--auto-approve"], 0)
        figures["repair apply (worker restarted, ALIVE)"] = [repair]
        figures["no-op plan after the repair"] = [run_timed(strata, workdir, ["plan", "--detailed-exitcode"], 0)[0]]
        destroy, _, _ = run_timed(strata, workdir, ["destroy", "--auto-approve"], 0)
        figures["destroy (services stopped, hosts removed)"] = [destroy]
        return figures, breakdown
    finally:
        if os.path.exists(os.path.join(workdir, "strata.state.json")):
            subprocess.run([strata, "--chdir", workdir, "destroy", "--auto-approve"], capture_output=True, timeout=LIMIT)
        shutil.rmtree(workdir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--noop", type=int, default=5, help="no-op and drift plans per round")
    parser.add_argument("--strata", default=os.path.join(REPO, "target", "release", "strata"))
    options = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("run as root: the cluster's hosts are network namespaces")
    all_figures = {}
    breakdowns = []
    for index in range(options.rounds):
        figures, breakdown = round_of(options.strata, options.noop)
        for step, values in figures.items():
            all_figures.setdefault(step, []).extend(values)
        breakdowns.append(breakdown)
        print(f"round {index + 1}/{options.rounds}: cold apply {figures['cold apply (artifacts cached)'][0]:.1f} s",
              file=sys.stderr)
    targets = {
        "cold apply (artifacts cached)": 45.0,
        "no-op plan (refresh over SSH)": 2.0,
        "drift plan after a killed worker": 2.0,
    }
    print(f"Rounds: {options.rounds}; binary: {options.strata}; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
    print()
    print("| step | runs | median s | min s | max s | target s |")
    print("|---|---:|---:|---:|---:|---:|")
    for step, values in all_figures.items():
        target = targets.get(step)
        target_text = f"≤ {target:g}" if target else ""
        print(f"| {step} | {len(values)} | {statistics.median(values):.2f} | {min(values):.2f} | "
              f"{max(values):.2f} | {target_text} |")
    print()
    print("Cold apply by kind of work (median over rounds). The milestones follow each other, so the")
    print("intervals between them add up to the wall time: the critical path. Services of one wave of")
    print("the start order start together; an interval is counted for the milestone that ends it.")
    print()
    print("| work | median s |")
    print("|---|---:|")
    kinds = {}
    for breakdown in breakdowns:
        totals = {}
        for name, seconds in breakdown:
            totals[kind_of(name)] = totals.get(kind_of(name), 0.0) + seconds
        for kind, seconds in totals.items():
            kinds.setdefault(kind, []).append(seconds)
    for kind in KINDS:
        if kind in kinds:
            print(f"| {kind} | {statistics.median(kinds[kind]):.2f} |")
    colds = all_figures["cold apply (artifacts cached)"]
    median_round = sorted(range(len(colds)), key=lambda i: colds[i])[len(colds) // 2]
    print()
    print(f"Milestones of the median round ({colds[median_round]:.1f} s):")
    print()
    print("| interval ending with | s |")
    print("|---|---:|")
    for name, seconds in breakdowns[median_round]:
        print(f"| {name} | {seconds:.2f} |")


KINDS = [
    "engine: plan, plugins, refresh, state",
    "hosts",
    "components and configuration files",
    "service starts",
    "health checks",
    "job",
]


def kind_of(phase):
    if phase.startswith("start "):
        return "service starts"
    if phase.startswith("health check "):
        return "health checks"
    if phase.startswith("hosts"):
        return "hosts"
    if phase.startswith("components"):
        return "components and configuration files"
    if phase.startswith("job"):
        return "job"
    return KINDS[0]

if __name__ == "__main__":
    main()
