"""Each user's Pictory key, encrypted at rest with AES-GCM under the server's secret keys
(`PICTORY_MCP_SECRET_KEYS`, a comma list: the first encrypts, any listed decrypts, so keys
rotate without re-entering every user's key at once).

A stored value (a "blob") is: format byte, 4-byte key id, 12-byte random nonce, ciphertext with
its tag. The format byte, key id and owner are authenticated as associated data, so a blob copied
to another user's row, or relabelled with another key id, does not decrypt.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from pictory_mcp.errors import ConfigurationError

__all__ = ["SETTING", "KeyUnreadableError", "KeyVault", "generate_key"]

SETTING = "PICTORY_MCP_SECRET_KEYS"

_FORMAT = b"\x01"
_KEY_ID_BYTES = 4
_NONCE_BYTES = 12  # 96 bits, as AES-GCM recommends
_HEADER = len(_FORMAT) + _KEY_ID_BYTES
_KEY_BYTES = 32
_HEX_KEY = re.compile(r"[0-9a-fA-F]{64}")
_GENERATE = "generate one with `pictory-mcp secret-key`"


class KeyUnreadableError(ConfigurationError):
    """A stored key cannot be decrypted any more; the user must connect their key again."""


def generate_key() -> str:
    """A new random 32-byte secret key, base64url-encoded, for `PICTORY_MCP_SECRET_KEYS`."""
    return base64.urlsafe_b64encode(os.urandom(_KEY_BYTES)).decode()


def _key_id(key: bytes) -> bytes:
    # A label, not a secret: a hash of a random 256-bit key reveals nothing about it.
    return hashlib.sha256(b"pictory-mcp key id\n" + key).digest()[:_KEY_ID_BYTES]


def _parse_key(entry: str) -> bytes | None:
    if _HEX_KEY.fullmatch(entry):
        return bytes.fromhex(entry)
    padded = entry + "=" * (-len(entry) % 4)
    try:
        # With `-_` as altchars, both the standard and the URL-safe alphabet decode.
        key = base64.b64decode(padded.encode("ascii"), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        return None
    return key if len(key) == _KEY_BYTES else None


class KeyVault:
    """Encrypts and decrypts Pictory keys; `keys[0]` encrypts, any of `keys` decrypts."""

    def __init__(self, keys: Sequence[bytes]) -> None:
        if not keys:
            raise ConfigurationError(f"{SETTING} holds no key; {_GENERATE}.")
        for position, key in enumerate(keys, start=1):
            if len(key) != _KEY_BYTES:
                raise ConfigurationError(
                    f"Key {position} of {SETTING} is not 32 bytes long; {_GENERATE}."
                )
        self._keys = list(keys)
        self._by_id: dict[bytes, list[AESGCM]] = {}
        for key in self._keys:
            self._by_id.setdefault(_key_id(key), []).append(AESGCM(key))
        self._primary_id = _key_id(self._keys[0])
        self._primary = AESGCM(self._keys[0])

    @classmethod
    def from_setting(cls, text: str) -> KeyVault:
        """Parse the comma list of `PICTORY_MCP_SECRET_KEYS` (base64, base64url or 64 hex digits
        each); an error names the position of a bad entry, never its value."""
        entries = [part.strip() for part in text.split(",")]
        if not any(entries):
            raise ConfigurationError(f"{SETTING} is empty; {_GENERATE}.")
        keys: list[bytes] = []
        for position, entry in enumerate(entries, start=1):
            key = _parse_key(entry) if entry else None
            if key is None:
                raise ConfigurationError(
                    f"Entry {position} of {SETTING} is not a 32-byte key in base64, base64url "
                    f"or 64 hex digits; {_GENERATE}."
                )
            keys.append(key)
        return cls(keys)

    def encrypt(self, owner: str, plaintext: str) -> bytes:
        """`plaintext` encrypted under the first key, bound to `owner`."""
        header = _FORMAT + self._primary_id
        nonce = os.urandom(_NONCE_BYTES)
        sealed = self._primary.encrypt(nonce, plaintext.encode(), _associated(header, owner))
        return header + nonce + sealed

    def decrypt(self, owner: str, blob: bytes) -> str:
        """The plaintext `encrypt(owner, …)` sealed in `blob`.

        Raises `KeyUnreadableError` when the blob was made with a key no longer listed, for
        another owner, or was altered.
        """
        if len(blob) < _HEADER + _NONCE_BYTES + 16 or blob[:1] != _FORMAT:
            raise KeyUnreadableError(
                "The stored Pictory key is not in a format this server reads; "
                "the user must connect their key again."
            )
        header, nonce, sealed = (
            blob[:_HEADER],
            blob[_HEADER : _HEADER + _NONCE_BYTES],
            blob[_HEADER + _NONCE_BYTES :],
        )
        ciphers = self._by_id.get(header[len(_FORMAT) :])
        if not ciphers:
            raise KeyUnreadableError(
                f"The stored Pictory key was encrypted with a key no longer in {SETTING}; "
                "the user must connect their key again."
            )
        # Two listed keys could share a 4-byte id; try each (almost always exactly one).
        for cipher in ciphers:
            try:
                return cipher.decrypt(nonce, sealed, _associated(header, owner)).decode()
            except InvalidTag:
                continue
        raise KeyUnreadableError(
            "The stored Pictory key does not decrypt for this user (it was altered or belongs "
            "to another user); the user must connect their key again."
        )

    def needs_rotation(self, blob: bytes) -> bool:
        """Whether `blob` was encrypted under a key other than the first listed one."""
        return blob[len(_FORMAT) : _HEADER] != self._primary_id

    def derived_keys(self, purpose: str) -> list[bytes]:
        """One 32-byte key per secret key (same order), derived with HKDF-SHA256 for `purpose`,
        so other uses (signing links) never reuse the encryption keys themselves."""
        return [
            HKDF(
                algorithm=hashes.SHA256(),
                length=_KEY_BYTES,
                salt=None,
                info=b"pictory-mcp " + purpose.encode(),
            ).derive(key)
            for key in self._keys
        ]


def _associated(header: bytes, owner: str) -> bytes:
    return header + b"\n" + owner.encode()
