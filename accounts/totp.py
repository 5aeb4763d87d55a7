"""Time-based one-time passwords (RFC 6238, on HOTP of RFC 4226), standard library only.

A code is HOTP(K, T) with T = floor(unix time / 30): HMAC of the 8-byte big-endian counter,
dynamic truncation to 31 bits, the last `digits` decimal digits. Authenticator apps (Google
Authenticator, Microsoft Authenticator, 阿里云/腾讯身份验证器 …) read the otpauth:// URI.
"""

import base64
import hashlib
import hmac
import secrets
import struct
from urllib.parse import quote, urlencode

STEP = 30
DIGITS = 6


def hotp(key, counter, digits=DIGITS, digest=hashlib.sha1):
    mac = hmac.new(key, struct.pack(">Q", counter), digest).digest()
    offset = mac[-1] & 0x0F
    (number,) = struct.unpack(">I", mac[offset : offset + 4])
    return str((number & 0x7FFFFFFF) % 10**digits).zfill(digits)


def step_at(unix_time, step=STEP):
    return int(unix_time // step)


def totp(key, unix_time, digits=DIGITS, digest=hashlib.sha1, step=STEP):
    return hotp(key, step_at(unix_time, step), digits, digest)


def new_secret():
    """A fresh 160-bit key as base32 without padding (what authenticator apps expect)."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def key_of(secret):
    secret = secret.strip().replace(" ", "").upper()
    return base64.b32decode(secret + "=" * (-len(secret) % 8))


def verify(secret, code, unix_time, last_step=0, window=1):
    """The time step a code matches (within ±window steps of clock drift), or None.

    A step at or before `last_step` (the last one used) is refused, so a code works only once."""
    code = (code or "").strip().replace(" ", "")
    if len(code) != DIGITS or not code.isdigit():
        return None
    key = key_of(secret)
    now = step_at(unix_time)
    for counter in range(now - window, now + window + 1):
        if counter > last_step and hmac.compare_digest(hotp(key, counter), code):
            return counter
    return None


def provisioning_uri(secret, account, issuer):
    label = quote(f"{issuer}:{account}")
    query = urlencode({"secret": secret, "issuer": issuer, "algorithm": "SHA1", "digits": DIGITS, "period": STEP})
    return f"otpauth://totp/{label}?{query}"
