"""確認コード (verification code): a short random code printed beside the 発行番号.

発行番号 are sequential (``062090-2026-000123``), so anyone could try them one after the
other.  Each issued document therefore also gets a random code, printed on the paper
beside its number and carried in the QR code's URL; ``/verify`` answers only to a number
together with its code.

* 10 characters of Crockford's Base32 (``0-9 A-Z`` without ``I L O U``): 50 random bits from
  :mod:`secrets`.  Printed in two groups of five (``7K3QD-M9XWA``).
* Read forgivingly: full-width characters, lower case, hyphens and spaces are accepted, and
  the letters people confuse with digits (``O`` → ``0``, ``I``/``L`` → ``1``) are read as
  those digits.
* Only a hash is stored (SHA-256 of the 発行番号 and the code).  It is deliberately not keyed
  with an installation secret: the register moves with the tenant's data to another
  installation (``docs/standard-layout.md``) and printed certificates must stay verifiable
  there.  What the code protects is the public answer about a certificate (issuer, title,
  time, SHA-256 — never personal data), so a salted hash that costs ~2^49 tries per
  document to reverse is enough; the public routes are rate-limited besides.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's Base32
LENGTH = 10
_CONFUSED = str.maketrans({"O": "0", "I": "1", "L": "1"})
_SEPARATORS = str.maketrans("", "", "- \u3000\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u30fc")


def new_code() -> str:
    """A fresh code in its printed form (``XXXXX-XXXXX``)."""
    return printed(''.join(secrets.choice(ALPHABET) for _ in range(LENGTH)))


def printed(code: str) -> str:
    half = LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def normalise(text: str | None) -> str | None:
    """The code as typed or scanned, in canonical form (10 characters), or None when it
    cannot be a code at all."""
    if not text:
        return None
    plain = unicodedata.normalize("NFKC", text[:40]).upper().translate(_SEPARATORS).translate(_CONFUSED)
    if len(plain) != LENGTH or any(c not in ALPHABET for c in plain):
        return None
    return plain


def code_hash(issue_no: str, code: str) -> str:
    """What the register stores: SHA-256 of ``{発行番号}:{canonical code}`` (hex)."""
    canonical = normalise(code)
    if canonical is None:
        raise ValueError("not a verification code")
    return hashlib.sha256(f"{issue_no}:{canonical}".encode("ascii")).hexdigest()


def code_matches(issue_no: str, typed: str | None, stored_hash: str | None) -> bool:
    """Whether *typed* is the code of document *issue_no* (constant-time comparison)."""
    canonical = normalise(typed)
    if canonical is None or stored_hash is None:
        return False
    return hmac.compare_digest(code_hash(issue_no, canonical), stored_hash)


__all__ = ["ALPHABET", "LENGTH", "code_hash", "code_matches", "new_code", "normalise", "printed"]
