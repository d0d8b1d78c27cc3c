"""Scan every part of a package for terms that must not be there (another vendor's ids and names).

Text is searched three ways, because XML can spell the same text differently: the raw bytes (UTF-8
and UTF-16), and, for XML parts, the decoded text and attribute values (``&#26159;`` entities,
split runs are joined per element). Binary parts are searched as bytes.
"""

from __future__ import annotations

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
    # each distinct text once: sheets repeat the same style ids, types and labels thousands of times
    return "\n".join(dict.fromkeys(c for c in chunks if len(c) >= 2))


Index = dict[str, dict[int, set[str]]]


def index_terms(terms: list[str]) -> Index:
    """Lower-cased terms by their first two characters, then by length."""
    index: Index = {}
    for t in terms:
        index.setdefault(t[:2], {}).setdefault(len(t), set()).add(t)
    return index


def found_terms(text: str, index: Index) -> set[str]:
    """Which indexed terms occur in ``text``: one pass over its positions, each a couple of set
    lookups, so tens of thousands of worker names and ids cost about as much as a handful."""
    out: set[str] = set()
    get = index.get
    for i in range(len(text) - 1):
        by_len = get(text[i:i + 2])
        if by_len:
            for n, bucket in by_len.items():
                piece = text[i:i + n]
                if piece in bucket:
                    out.add(piece)
    return out


def scan_package(data: bytes, terms: list[str]) -> list[Hit]:
    """Every (part, term) occurrence in the zip package ``data`` (case-insensitive)."""
    wanted = {t.strip().lower(): t.strip() for t in terms if t and len(t.strip()) >= 2}
    index = index_terms(sorted(wanted))
    hits: list[Hit] = []
    with zipfile.ZipFile(BytesIO(data)) as z:
        for name in z.namelist():
            blob = z.read(name)
            # an XML part's decoded text holds its raw text too; other parts are searched as bytes,
            # as UTF-8 and as UTF-16 (decoded both ways, so any alignment is covered)
            parsed = _xml_text(blob) if name.endswith((".xml", ".rels", ".vml")) else None
            if parsed is not None:
                views = [("xml", parsed.lower())]
            else:
                views = [("bytes", blob.decode("utf-8", "ignore").lower()),
                         ("utf-16", blob.decode("utf-16-le", "ignore").lower()),
                         ("utf-16", blob[1:].decode("utf-16-le", "ignore").lower())]
            views.append(("part name", name.lower()))
            seen: set[str] = set()
            for how, text in views:
                for t in sorted(found_terms(text, index) - seen):
                    seen.add(t)
                    hits.append(Hit(name, wanted[t], how))
    return hits
