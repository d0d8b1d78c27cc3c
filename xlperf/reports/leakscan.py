"""Scan every part of a package for terms that must not be there (another vendor's ids and names).

Text is searched three ways, because XML can spell the same text differently: the raw bytes (UTF-8
and UTF-16), and, for XML parts, the decoded text and attribute values (``&#26159;`` entities,
split runs are joined per element). Binary parts are searched as bytes.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from io import BytesIO

from lxml import etree


@dataclass(frozen=True)
class Hit:
    part: str
    term: str
    how: str  # "bytes", "utf-16" or "xml"


# Elements whose text may be split into runs (shared strings, inline strings, DrawingML paragraphs):
# their runs are joined, so a name split across runs is still found. Other texts stay separate, so
# two neighbouring cells never make a false name out of the end of one and the start of the next.
_RUN_CONTAINERS = {"si", "is", "p", "rich", "r"}


def _xml_text(data: bytes) -> str | None:
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None
    chunks: list[str] = []
    for el in root.iter():
        if isinstance(el.tag, str):
            chunks.extend(str(v) for v in el.attrib.values())
            if etree.QName(el).localname in _RUN_CONTAINERS:
                chunks.append("".join(el.itertext()))
        if el.text:  # comments and processing instructions included
            chunks.append(el.text)
        if el.tail:
            chunks.append(el.tail)
    return "\n".join(chunks)


def scan_package(data: bytes, terms: list[str]) -> list[Hit]:
    """Every (part, term) occurrence in the zip package ``data`` (case-insensitive for ASCII terms)."""
    terms = sorted({t.strip() for t in terms if t and len(t.strip()) >= 2})
    hits: list[Hit] = []
    with zipfile.ZipFile(BytesIO(data)) as z:
        for name in z.namelist():
            blob = z.read(name)
            parsed = _xml_text(blob) if name.endswith((".xml", ".rels", ".vml")) else None
            low = blob.lower() if parsed is None else b""
            parsed_low = parsed.lower() if parsed is not None else ""
            for term in terms:
                t = term.lower()
                # an XML part's decoded text holds its raw text too; other parts are searched as bytes
                if parsed is not None and t in parsed_low:
                    hits.append(Hit(name, term, "xml"))
                elif parsed is None and t.encode("utf-8") in low:
                    hits.append(Hit(name, term, "bytes"))
                elif parsed is None and term.encode("utf-16-le") in blob:
                    hits.append(Hit(name, term, "utf-16"))
                elif t in name.lower():
                    hits.append(Hit(name, term, "part name"))
    return hits
