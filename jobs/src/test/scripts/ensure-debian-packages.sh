#!/usr/bin/env bash
# Makes sure Debian packages a test needs are installed, so the README's test command needs no
# manual set-up: ensure-debian-packages.sh 'PROBE' PACKAGE...
# PROBE is a shell command that succeeds once the packages work; when it fails, the packages are
# installed (as root, or with password-less sudo) and PROBE must then succeed.
set -euo pipefail
probe=$1
shift
if bash -c "$probe" >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo -n)
else
  echo "$* not installed and this user cannot install Debian packages" >&2
  exit 3
fi
export DEBIAN_FRONTEND=noninteractive
if ! "${SUDO[@]}" apt-get install -y --no-install-recommends "$@" >/dev/null 2>&1; then
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y --no-install-recommends "$@" >/dev/null
fi
bash -c "$probe"
