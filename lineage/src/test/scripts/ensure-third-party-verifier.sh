#!/usr/bin/env bash
# Makes sure the third-party DSSE verifier's dependencies are installed: Debian's
# python3-securesystemslib (with python3-nacl for Ed25519) for the system python3.
# Called by ThirdPartyDsseIT, so the README's test command needs no manual set-up.
set -euo pipefail
PYTHON=/usr/bin/python3
if "$PYTHON" -c 'import securesystemslib.signer, nacl' 2>/dev/null; then
  exit 0
fi
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo -n)
else
  echo "python3-securesystemslib is not installed and this user cannot install Debian packages" >&2
  exit 3
fi
export DEBIAN_FRONTEND=noninteractive
if ! "${SUDO[@]}" apt-get install -y --no-install-recommends python3-securesystemslib python3-nacl >/dev/null 2>&1; then
  "${SUDO[@]}" apt-get update -qq
  "${SUDO[@]}" apt-get install -y --no-install-recommends python3-securesystemslib python3-nacl >/dev/null
fi
"$PYTHON" -c 'import securesystemslib.signer, nacl'
