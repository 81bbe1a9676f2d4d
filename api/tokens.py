"""The shape of a token, "up_<prefix>_<secret>", and how its secret is kept (a SHA-256, never the secret)."""

from __future__ import annotations

import hashlib
import hmac
import secrets

PREFIX_BYTES = 4  # 8 hex characters: finds the row
SECRET_BYTES = 32


def new_token() -> tuple[str, str, str]:
    """(prefix, secret, the whole token as the user copies it)."""
    prefix = secrets.token_hex(PREFIX_BYTES)
    secret = secrets.token_urlsafe(SECRET_BYTES)
    return prefix, secret, f"up_{prefix}_{secret}"


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def split_token(raw: str) -> tuple[str, str] | None:
    """(prefix, secret) of a well-formed token, else None. The secret may itself hold underscores."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != "up" or len(parts[1]) != 2 * PREFIX_BYTES or not parts[2]:
        return None
    return parts[1], parts[2]


def secret_matches(secret: str, hashed: str) -> bool:
    return hmac.compare_digest(hash_secret(secret), hashed)
