"""Editing small XML parts as text, so every byte xlperf does not mean to change stays as it was.

Parsing a part with lxml and serialising it again rewrites quoting, namespace declarations, the XML
declaration and whitespace: harmless for Excel, but then "only the entries xlperf adds changed" could
not be checked byte by byte. So xlperf *reads* parts with a hardened lxml parser and *edits* them by
inserting or removing the text of whole elements, found by these helpers. Elements may carry any
namespace prefix (``<x:sheets>`` from the Open XML SDK is as valid as ``<sheets>``).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from lxml import etree

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                          remove_blank_text=False)
_ATTR_RE = re.compile(r'([\w:.-]+)\s*=\s*(?:"([^"]*)"|\'([^\']*)\')')


def parse(data: bytes | str) -> Any:
    """Parse a (small) part: no DTDs, no entity resolution, no network."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return etree.fromstring(raw, _PARSER)


def local(tag: object) -> str:
    """Local name of an lxml tag ('{ns}name' → 'name'); comments and PIs give ''."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def esc_text(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def esc_attr(s: str) -> str:
    return (esc_text(s).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;")
            .replace("\t", "&#9;"))


@dataclass(frozen=True)
class Span:
    """One element's text span: ``text[start:end]``; ``prefix`` is '' or 'x:'."""

    start: int
    end: int
    prefix: str
    attrs: dict[str, str]
    self_closing: bool
    open_end: int  # end of the start tag


def attrs_of(start_tag_body: str) -> dict[str, str]:
    return {m.group(1): html.unescape(m.group(2) if m.group(2) is not None else m.group(3))
            for m in _ATTR_RE.finditer(start_tag_body)}


def elements(text: str, name: str, start: int = 0, end: int | None = None) -> Iterator[Span]:
    """Every element with local name ``name`` in ``text[start:end]``, outermost first, in order."""
    stop = len(text) if end is None else end
    pat = re.compile(r"<([\w.-]+:)?" + re.escape(name) + r"(?=[\s/>])([^>]*?)(/?)>")
    pos = start
    while True:
        m = pat.search(text, pos, stop)
        if not m:
            return
        prefix = m.group(1) or ""
        if m.group(3):
            span = Span(m.start(), m.end(), prefix, attrs_of(m.group(2)), True, m.end())
        else:
            close = text.find(f"</{prefix}{name}>", m.end(), stop)
            if close < 0:
                raise ValueError(f"unclosed <{prefix}{name}>")
            span = Span(m.start(), close + len(f"</{prefix}{name}>"), prefix, attrs_of(m.group(2)),
                        False, m.end())
        yield span
        pos = span.end


def first(text: str, name: str, start: int = 0, end: int | None = None) -> Span | None:
    return next(elements(text, name, start, end), None)


def append_child(text: str, parent: Span, snippet: str) -> str:
    """Insert ``snippet`` as the last child of ``parent`` (expanding ``<x/>`` to ``<x>…</x>``)."""
    if parent.self_closing:
        open_tag = text[parent.start:parent.end]
        body = open_tag[:-2].rstrip()
        name = re.match(r"<([\w.:-]+)", open_tag)
        assert name is not None
        return text[:parent.start] + body + ">" + snippet + f"</{name.group(1)}>" + text[parent.end:]
    close_at = text.rfind("</", parent.start, parent.end)
    return text[:close_at] + snippet + text[close_at:]


def set_attr(text: str, el: Span, attr: str, value: str) -> str:
    """Set one attribute of the start tag of ``el`` (replacing it in place, or appending it)."""
    tag = text[el.start:el.open_end]
    pat = re.compile(r'(\s' + re.escape(attr) + r'\s*=\s*)("[^"]*"|\'[^\']*\')')
    if pat.search(tag):
        new_tag = pat.sub(lambda m: f'{m.group(1)}"{esc_attr(value)}"', tag, count=1)
    else:
        cut = len(tag) - (2 if el.self_closing else 1)
        new_tag = tag[:cut].rstrip() + f' {attr}="{esc_attr(value)}"' + tag[cut:]
    return text[:el.start] + new_tag + text[el.open_end:]


def remove(text: str, el: Span) -> str:
    return text[:el.start] + text[el.end:]
