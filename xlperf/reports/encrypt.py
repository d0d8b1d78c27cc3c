"""Real Office encryption of a pack (ECMA-376 agile encryption via msoffcrypto-tool).

Sheet protection only stops accidental edits; a password from the vendor row encrypts the whole file,
so it cannot be opened at all without the password.
"""

from __future__ import annotations

from io import BytesIO

from ..errors import WriteError


def encrypt(data: bytes, password: str) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    try:
        out = BytesIO()
        OOXMLFile(BytesIO(data)).encrypt(password, out)
    except Exception as exc:  # msoffcrypto raises plain exceptions of several kinds
        raise WriteError(f"加密供应商包失败：{exc}", f"Encrypting the vendor pack failed: {exc}") from exc
    return out.getvalue()


def decrypt(data: bytes, password: str) -> bytes:
    """The plain package of an encrypted pack; raises WriteError with a wrong password."""
    import msoffcrypto

    try:
        office = msoffcrypto.OfficeFile(BytesIO(data))
        office.load_key(password=password, verify_password=True)
        out = BytesIO()
        office.decrypt(out)
    except Exception as exc:
        raise WriteError(f"无法解密：{exc}", f"Could not decrypt: {exc}") from exc
    return out.getvalue()


def is_encrypted(data: bytes) -> bool:
    """An encrypted OOXML file is an OLE compound file, not a zip."""
    return data[:8] == bytes.fromhex("D0CF11E0A1B11AE1")
