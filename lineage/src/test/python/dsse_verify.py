#!/usr/bin/env python3
"""Verify a DSSE envelope carrying an in-toto Statement v1 with an Ed25519 public key.

Independent of the project's Java code: the signature is checked by securesystemslib (Debian's
python3-securesystemslib); the pre-authentication encoding is built from the DSSE v1 protocol
text (https://github.com/secure-systems-lab/dsse/blob/v1.0.0/protocol.md):

    PAE(type, body) = "DSSEv1" + SP + LEN(type) + SP + type + SP + LEN(body) + SP + body

Usage: dsse_verify.py ENVELOPE_JSON PUBLIC_KEY_HEX
Exit 0 and "OK ..." when a signature verifies and the payload is an in-toto Statement v1;
exit 1 and "FAIL ..." otherwise.
"""
import base64
import hashlib
import json
import sys

from securesystemslib.signer import Signature, SSlibKey
from securesystemslib import exceptions

IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json"
STATEMENT_TYPE = "https://in-toto.io/Statement/v1"


def pae(payload_type: str, payload: bytes) -> bytes:
    type_bytes = payload_type.encode("utf-8")
    return b" ".join([b"DSSEv1", str(len(type_bytes)).encode(), type_bytes, str(len(payload)).encode(), payload])


def fail(message: str) -> None:
    print("FAIL " + message)
    sys.exit(1)


def main(envelope_path: str, public_key_hex: str) -> None:
    with open(envelope_path, "rb") as f:
        envelope = json.load(f)
    if envelope.get("payloadType") != IN_TOTO_PAYLOAD_TYPE:
        fail("payloadType is " + repr(envelope.get("payloadType")))
    payload = base64.b64decode(envelope["payload"], validate=True)
    # securesystemslib wants a hex key id; the key's own SHA-256 serves (the envelope's is ignored).
    key = SSlibKey(hashlib.sha256(bytes.fromhex(public_key_hex)).hexdigest(), "ed25519", "ed25519",
                   {"public": public_key_hex})
    signed_bytes = pae(envelope["payloadType"], payload)
    verified = None
    for sig in envelope.get("signatures", []):
        # DSSE signatures are base64; securesystemslib's Signature carries hex. The envelope's keyid
        # is only a hint: every signature is tried against the given key, under that key's id.
        signature = Signature(key.keyid, base64.b64decode(sig["sig"]).hex())
        try:
            key.verify_signature(signature, signed_bytes)
            verified = sig.get("keyid", "")
            break
        except (exceptions.UnverifiedSignatureError, exceptions.VerificationError):
            continue
    if verified is None:
        fail("no signature verifies with the given key")
    statement = json.loads(payload)
    if statement.get("_type") != STATEMENT_TYPE:
        fail("payload is not an in-toto Statement v1")
    subjects = statement.get("subject")
    if not subjects or not all(isinstance(s.get("name"), str) and isinstance(s.get("digest"), dict) and s["digest"]
                               for s in subjects):
        fail("subject must be a non-empty list of {name, digest}")
    if not isinstance(statement.get("predicateType"), str) or not isinstance(statement.get("predicate"), dict):
        fail("predicateType and predicate are required")
    print("OK signature by keyid hint " + verified + " verifies; in-toto Statement v1 with "
          + str(len(subjects)) + " subjects, predicateType " + statement["predicateType"])


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2])
