#!/usr/bin/env bash
# Installs what the local provider's hosts and the SSH deployer need on this machine:
# openssh-server (sshd for every host; Debian's policy-rc.d keeps it from starting a
# system-wide daemon), iproute2 (ip netns/link), util-linux (unshare, nsenter) and
# procps; for `isolation = "container"` hosts, systemd-container (systemd-nspawn; nothing
# of it starts without systemd as PID 1) and debootstrap (the hosts' base root file system).
# Idempotent and quiet when everything is present; run by .ci/test-all.
set -euo pipefail

need=()
command -v /usr/sbin/sshd >/dev/null 2>&1 || need+=(openssh-server)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v unshare >/dev/null 2>&1 || need+=(util-linux)
command -v pkill >/dev/null 2>&1 || need+=(procps)
command -v ssh-keygen >/dev/null 2>&1 || need+=(openssh-client)
# The deployer's service test runs `python3 -m http.server` on a real host.
command -v python3 >/dev/null 2>&1 || need+=(python3)
# Container hosts (providers/local: isolation = "container").
[[ -x /usr/bin/systemd-nspawn ]] || command -v systemd-nspawn >/dev/null 2>&1 || need+=(systemd-container)
[[ -x /usr/sbin/debootstrap ]] || command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)

if (( ${#need[@]} == 0 )); then
    exit 0
fi
if [[ "$(id -u)" != 0 ]]; then
    echo "install-host-deps: missing ${need[*]}; run as root or: apt-get install ${need[*]}" >&2
    exit 1
fi
echo "install-host-deps: installing ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
