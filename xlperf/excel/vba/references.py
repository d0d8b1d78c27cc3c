"""Type-library references a VBA project carries (MS-OVBA 2.3.4.2.2 REFERENCEREGISTERED).

A registered reference names a type library by its LIBID string (2.1.1.8):
``*\\G{guid}#major.minor#lcid#path#description``.  VBA resolves it through the registry by GUID
and version on the machine that opens the file; the path is only a hint.  The two below are the
values Excel itself writes: stdole (OLE Automation, for IPicture/IFont) and the Office library
(needed for ``IRibbonControl`` in ribbon callbacks), the latter copied from the reference project
in xlwings' ``quickstart_standalone.xlsm``.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DEFAULT_REFERENCES", "OFFICE", "STDOLE", "Reference"]


@dataclass(frozen=True)
class Reference:
    """A REFERENCENAME + REFERENCEREGISTERED pair: the name VBA shows and the LIBID it resolves."""

    name: str
    libid: str


STDOLE = Reference(
    name="stdole",
    libid="*\\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\\Windows\\System32\\stdole2.tlb#OLE Automation",
)

OFFICE = Reference(
    name="Office",
    libid=(
        "*\\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#"
        "C:\\Program Files\\Common Files\\Microsoft Shared\\OFFICE16\\MSO.DLL#Microsoft Office 16.0 Object Library"
    ),
)

DEFAULT_REFERENCES: tuple[Reference, ...] = (STDOLE, OFFICE)
