"""Font child elements in the order the Open XML SDK's schema wants them.

ECMA-376 declares ``CT_Font`` as a choice, so Excel reads its children in any order; the Open XML SDK
(and so every validator built on its rules) declares a sequence, and openpyxl writes ``name, family,
color, sz`` where the SDK wants ``sz, color, name, family``. Packages xlperf builds with openpyxl (the
templates, the vendor packs) have their ``styles.xml`` fonts put in the SDK's order here, so an
independent check finds nothing to repair. Only the order of each font's children changes: no font
moves, so every cell's style index means what it meant.
"""

from __future__ import annotations

import re

# The SDK's sequence for CT_Font (DocumentFormat.OpenXml.Spreadsheet.Font).
FONT_ORDER = ("b", "i", "strike", "condense", "extend", "outline", "shadow", "u", "vertAlign", "sz",
              "color", "name", "family", "charset", "scheme")
_RANK = {name: k for k, name in enumerate(FONT_ORDER)}

_PFX = r"(?:[A-Za-z_][\w.-]*:)?"
_FONT = re.compile(r"<(" + _PFX + r")font>(.*?)</\1font>", re.DOTALL)
# A font's children are empty elements (<b/>, <sz val="11"/>), rarely written open and closed.
_CHILD = re.compile(r"\s*<(" + _PFX + r")([A-Za-z]+)\b[^>]*?(?:/>|>\s*</\1\2>)", re.DOTALL)


def _ordered(body: str) -> str:
    children: list[tuple[str, str]] = []
    pos = 0
    while pos < len(body):
        m = _CHILD.match(body, pos)
        if m is None:
            return body  # something this module does not know (text, comments): left alone
        children.append((m.group(2), m.group(0).strip()))
        pos = m.end()
    if any(name not in _RANK for name, _ in children):
        return body
    ranked = sorted(children, key=lambda c: _RANK[c[0]])  # stable: repeated elements keep their order
    return body if ranked == children else "".join(text for _, text in ranked)


def sdk_font_order(styles_xml: str) -> str:
    """``styles_xml`` with every ``<font>``'s children (in fonts and in dxfs) in the SDK's order."""
    return _FONT.sub(lambda m: f"<{m.group(1)}font>{_ordered(m.group(2))}</{m.group(1)}font>", styles_xml)


def sdk_font_order_bytes(styles_xml: bytes) -> bytes:
    text = styles_xml.decode("utf-8")
    fixed = sdk_font_order(text)
    return styles_xml if fixed == text else fixed.encode("utf-8")


__all__ = ["FONT_ORDER", "sdk_font_order", "sdk_font_order_bytes"]
