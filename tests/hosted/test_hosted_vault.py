"""Each user's Pictory key at rest: AES-GCM under the server's secret keys, bound to its owner,
with rotation through a comma list of keys."""

from __future__ import annotations

import base64
import os

import pytest

from pictory_mcp.errors import ConfigurationError
from pictory_mcp.hosted.vault import KeyUnreadableError, KeyVault, generate_key

PICTORY_KEY = "pictai_VAULT_CANARY_0123456789abcdef"


def test_a_key_decrypts_for_its_owner_and_is_not_stored_in_clear() -> None:
    vault = KeyVault.from_setting(generate_key())
    blob = vault.encrypt("u_alice", PICTORY_KEY)
    assert PICTORY_KEY.encode() not in blob
    assert vault.decrypt("u_alice", blob) == PICTORY_KEY


def test_the_same_key_encrypts_differently_each_time() -> None:
    vault = KeyVault.from_setting(generate_key())
    assert vault.encrypt("u_alice", PICTORY_KEY) != vault.encrypt("u_alice", PICTORY_KEY)


def test_a_blob_copied_to_another_users_row_does_not_decrypt() -> None:
    vault = KeyVault.from_setting(generate_key())
    blob = vault.encrypt("u_alice", PICTORY_KEY)
    with pytest.raises(KeyUnreadableError, match="connect their key again") as caught:
        vault.decrypt("u_bob", blob)
    assert PICTORY_KEY not in str(caught.value)


def test_an_altered_blob_does_not_decrypt() -> None:
    vault = KeyVault.from_setting(generate_key())
    blob = bytearray(vault.encrypt("u_alice", PICTORY_KEY))
    blob[-1] ^= 1
    with pytest.raises(KeyUnreadableError, match="altered"):
        vault.decrypt("u_alice", bytes(blob))
    with pytest.raises(KeyUnreadableError, match="format"):
        vault.decrypt("u_alice", b"\x01abc")


def test_after_rotation_old_blobs_decrypt_and_new_ones_use_the_first_key() -> None:
    old, new = generate_key(), generate_key()
    before = KeyVault.from_setting(old)
    blob = before.encrypt("u_alice", PICTORY_KEY)
    assert not before.needs_rotation(blob)
    after = KeyVault.from_setting(f"{new}, {old}")
    assert after.decrypt("u_alice", blob) == PICTORY_KEY
    assert after.needs_rotation(blob)
    fresh = after.encrypt("u_alice", PICTORY_KEY)
    assert not after.needs_rotation(fresh)
    with pytest.raises(KeyUnreadableError):
        before.decrypt("u_alice", fresh)


def test_a_blob_whose_key_was_dropped_says_the_user_must_connect_again() -> None:
    old, new = generate_key(), generate_key()
    blob = KeyVault.from_setting(old).encrypt("u_alice", PICTORY_KEY)
    with pytest.raises(ConfigurationError) as caught:
        KeyVault.from_setting(new).decrypt("u_alice", blob)
    assert str(caught.value) == (
        "The stored Pictory key was encrypted with a key no longer in PICTORY_MCP_SECRET_KEYS; "
        "the user must connect their key again."
    )


@pytest.mark.parametrize(
    "spelling",
    [
        pytest.param(lambda raw: base64.b64encode(raw).decode(), id="base64"),
        pytest.param(lambda raw: base64.b64encode(raw).decode().rstrip("="), id="base64-unpadded"),
        pytest.param(lambda raw: base64.urlsafe_b64encode(raw).decode(), id="base64url"),
        pytest.param(lambda raw: raw.hex(), id="hex"),
        pytest.param(lambda raw: raw.hex().upper(), id="hex-upper"),
    ],
)
def test_a_secret_key_may_be_written_in_base64_base64url_or_hex(spelling: object) -> None:
    raw = bytes(range(250, 256)) + os.urandom(26)  # bytes that differ between the alphabets
    written = spelling(raw)  # type: ignore[operator]
    blob = KeyVault([raw]).encrypt("u_alice", PICTORY_KEY)
    assert KeyVault.from_setting(written).decrypt("u_alice", blob) == PICTORY_KEY


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("", "PICTORY_MCP_SECRET_KEYS is empty"),
        (" , ", "PICTORY_MCP_SECRET_KEYS is empty"),
        ("SECRETVALUE-short", "Entry 1 of PICTORY_MCP_SECRET_KEYS is not a 32-byte key"),
        (f"{generate_key()},SECRETVALUE!!", "Entry 2 of PICTORY_MCP_SECRET_KEYS"),
        (f"{generate_key()},,{generate_key()}", "Entry 2 of PICTORY_MCP_SECRET_KEYS"),
        (base64.b64encode(os.urandom(16)).decode(), "Entry 1 of"),
    ],
)
def test_a_bad_setting_names_the_position_never_the_value(setting: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message) as caught:
        KeyVault.from_setting(setting)
    assert "SECRETVALUE" not in str(caught.value)
    assert "pictory-mcp secret-key" in str(caught.value)


def test_generated_keys_are_distinct_32_byte_keys() -> None:
    first, second = generate_key(), generate_key()
    assert first != second
    assert len(base64.urlsafe_b64decode(first)) == 32


def test_derived_keys_differ_by_purpose_and_from_the_secret_keys() -> None:
    raw = os.urandom(32)
    vault = KeyVault([raw, os.urandom(32)])
    links = vault.derived_keys("connect links")
    assert len(links) == 2 and raw not in links
    assert links != vault.derived_keys("something else")
    assert KeyVault([raw]).derived_keys("connect links") == links[:1]
