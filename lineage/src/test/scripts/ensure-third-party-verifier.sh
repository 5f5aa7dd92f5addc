#!/usr/bin/env bash
# Makes sure the third-party DSSE verifier's dependencies are installed: Debian's
# python3-securesystemslib (with python3-nacl for Ed25519) for the system python3.
# Called by ThirdPartyDsseIT, so the README's test command needs no manual set-up.
set -euo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
exec "$here/../../../../jobs/src/test/scripts/ensure-debian-packages.sh" \
  "/usr/bin/python3 -c 'import securesystemslib.signer, nacl'" python3-securesystemslib python3-nacl
