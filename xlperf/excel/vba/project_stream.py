"""The ``PROJECT`` and ``PROJECTwm`` streams (MS-OVBA 2.3.1 and 2.3.3), with 2.4.3 data encryption.

``PROJECT`` is CRLF-separated text in the project code page: the project id, one line per module,
the project properties, the three protection values (CMG, DPB, GC) that Office stores obfuscated
with the 2.4.3 "data encryption" keyed on the project id, and the host extender section.
``PROJECTwm`` maps each module name in the code page to its UTF-16 form.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

__all__ = [
    "EncryptionError",
    "ProjectEntry",
    "ProjectEntryKind",
    "build_project_stream",
    "build_projectwm_stream",
    "decrypt",
    "encrypt",
]

_ENCRYPTION_VERSION = 2
# The host extender every Office VBA project carries: the VBE extender, index 1, flags 0.
_HOST_EXTENDER = "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000"
_VERSION_COMPATIBLE32 = "393222000"
# ProjectProtectionState (CMG): 4 bytes, no protection flag set.
_NOT_PROTECTED = b"\x00\x00\x00\x00"
# ProjectPassword (DPB): a single 0x00 byte means "no password".
_NO_PASSWORD = b"\x00"
# ProjectVisibilityState (GC): 0xFF means the project is visible in the VBE.
_VISIBLE = b"\xff"


class EncryptionError(ValueError):
    """Bytes that are not a well-formed 2.4.3 encrypted value."""


class ProjectEntryKind(Enum):
    DOCUMENT = "Document"
    MODULE = "Module"
    CLASS = "Class"


@dataclass(frozen=True)
class ProjectEntry:
    name: str
    kind: ProjectEntryKind

    def line(self) -> str:
        if self.kind is ProjectEntryKind.DOCUMENT:
            # The suffix is the document's MiscStatus flags as &H hex; Office writes 0.
            return f"Document={self.name}/&H00000000"
        return f"{self.kind.value}={self.name}"


def _project_key(project_id: str) -> int:
    return sum(project_id.encode("ascii")) & 0xFF


def encrypt(data: bytes, project_id: str, *, seed: int, ignored: bytes) -> bytes:
    """MS-OVBA 2.4.3.2: obfuscate `data` with the project id as key.

    `seed` (a byte) and `ignored` (the filler bytes, as many as (seed & 6) / 2) would be random in
    Office; xlperf derives them from the project id so that the output is deterministic.
    """
    if not 0 <= seed <= 0xFF:
        raise EncryptionError("seed must be a byte")
    if len(ignored) != (seed & 6) // 2:
        raise EncryptionError(f"seed {seed:#04x} needs {(seed & 6) // 2} ignored bytes, got {len(ignored)}")
    key = _project_key(project_id)
    version_enc = seed ^ _ENCRYPTION_VERSION
    key_enc = seed ^ key
    out = bytearray([seed, version_enc, key_enc])
    unencrypted_1 = key
    encrypted_1 = key_enc
    encrypted_2 = version_enc
    for byte in ignored + struct.pack("<I", len(data)) + data:
        byte_enc = byte ^ ((encrypted_2 + unencrypted_1) & 0xFF)
        out.append(byte_enc)
        encrypted_2, encrypted_1, unencrypted_1 = encrypted_1, byte_enc, byte
    return bytes(out)


def decrypt(encrypted: bytes) -> tuple[int, bytes]:
    """MS-OVBA 2.4.3.3: (project key, data) from an encrypted value."""
    if len(encrypted) < 3:
        raise EncryptionError("encrypted value shorter than its 3-byte header")
    seed, version_enc, key_enc = encrypted[0], encrypted[1], encrypted[2]
    if seed ^ version_enc != _ENCRYPTION_VERSION:
        raise EncryptionError("encrypted value has the wrong version")
    key = seed ^ key_enc
    unencrypted_1 = key
    encrypted_1 = key_enc
    encrypted_2 = version_enc
    plain = bytearray()
    for byte_enc in encrypted[3:]:
        byte = byte_enc ^ ((encrypted_2 + unencrypted_1) & 0xFF)
        plain.append(byte)
        encrypted_2, encrypted_1, unencrypted_1 = encrypted_1, byte_enc, byte
    skip = (seed & 6) // 2
    if len(plain) < skip + 4:
        raise EncryptionError("encrypted value too short for its length field")
    (length,) = struct.unpack_from("<I", plain, skip)
    data = bytes(plain[skip + 4 :])
    if len(data) != length:
        raise EncryptionError(f"encrypted value says {length} bytes but holds {len(data)}")
    return key, data


def _deterministic_encrypt(data: bytes, project_id: str, label: str) -> str:
    digest = hashlib.sha256(f"{project_id}/{label}".encode("ascii")).digest()
    seed = digest[0]
    ignored = digest[1 : 1 + (seed & 6) // 2]
    return encrypt(data, project_id, seed=seed, ignored=ignored).hex().upper()


def build_project_stream(
    project_id: str, project_name: str, entries: Sequence[ProjectEntry], encoding: str
) -> bytes:
    """The PROJECT stream text for an unprotected, visible project, encoded in the code page."""
    cmg = _deterministic_encrypt(_NOT_PROTECTED, project_id, "CMG")
    dpb = _deterministic_encrypt(_NO_PASSWORD, project_id, "DPB")
    gc = _deterministic_encrypt(_VISIBLE, project_id, "GC")
    lines = [f'ID="{project_id}"']
    lines += [entry.line() for entry in entries]
    lines += [
        f'Name="{project_name}"',
        'HelpContextID="0"',
        f'VersionCompatible32="{_VERSION_COMPATIBLE32}"',
        f'CMG="{cmg}"',
        f'DPB="{dpb}"',
        f'GC="{gc}"',
        "",
        "[Host Extender Info]",
        _HOST_EXTENDER,
        "",
        "[Workspace]",
    ]
    lines += [f"{entry.name}=0, 0, 0, 0, C" for entry in entries]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def build_projectwm_stream(module_names: Sequence[str], encoding: str) -> bytes:
    """PROJECTwm: per module its MBCS name + NUL and its UTF-16 name + NUL, then a 0x0000 end."""
    out = bytearray()
    for name in module_names:
        out += name.encode(encoding) + b"\x00"
        out += name.encode("utf-16-le") + b"\x00\x00"
    out += b"\x00\x00"
    return bytes(out)
