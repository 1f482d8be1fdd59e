"""The demo accounts' second factor for the load scripts: RFC 6238 codes (SHA-1, 6 digits, 30 s) from the published
`DEMO_TOTP_SECRET`, each account's code of a given step used once, as the server's replay guard requires: within
this process the next free step is taken (from one step behind the clock to one ahead, the server's skew), and past
that the call waits for the clock. Standard library only."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import struct
import threading
import time

DEFAULT_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
STEP = 30

_lock = threading.Lock()
_last_step: dict[str, int] = {}


def secret() -> bytes:
    key = "".join(os.environ.get("DEMO_TOTP_SECRET", DEFAULT_SECRET).split()).upper()
    return base64.b32decode(key + "=" * (-len(key) % 8))


def code_at(step: int) -> str:
    digest = hmac.new(secret(), struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def next_code(account: str) -> str:
    """A code for `account` that this process has not used yet, waiting for the clock when it must."""
    with _lock:
        now_step = int(time.time()) // STEP
        # The server takes the step before its clock's too (three sign-ins at once, then one per half-minute), unless
        # the clock's step ends within 5 s: the server may have moved on by the time the code arrives.
        earliest = now_step - 1 if time.time() % STEP < STEP - 5 else now_step
        step = max(earliest, _last_step.get(account, -1) + 1)
        _last_step[account] = step
    # The server accepts one step ahead of its clock: sleep until `step` is at most one ahead.
    wait = (step - 1) * STEP - time.time()
    if wait > 0:
        time.sleep(wait + 0.5)
    return code_at(step)


if __name__ == "__main__":
    # RFC 6238, appendix B (SHA-1, secret "12345678901234567890"): the 8-digit 94287082 at 59 s ends in 287082.
    os.environ["DEMO_TOTP_SECRET"] = base64.b32encode(b"12345678901234567890").decode()
    assert code_at(59 // STEP) == "287082", code_at(59 // STEP)
    assert code_at(1111111109 // STEP) == "081804"
    print("totp ok")
