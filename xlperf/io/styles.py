"""The few cell styles xlperf needs, appended to the workbook's own styles.xml.

Every style the user made stays where it is (cell style indexes are positions, so nothing may move):
xlperf only appends fonts, fills, borders, number formats, cell formats (``xf``) and differential
formats (``dxf``, for conditional formatting) at the end of their lists, and reuses an existing
entry when an identical one is already there. So the second run finds the entries the first one
added and leaves styles.xml byte-identical.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from . import xmltext as xt

BUILTIN_FORMATS = {
    "General": 0, "0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10, "0.00E+00": 11,
    "# ?/?": 12, "mm-dd-yy": 14, "d-mmm-yy": 15, "d-mmm": 16, "mmm-yy": 17, "h:mm": 20, "h:mm:ss": 21,
    "m/d/yy h:mm": 22, "@": 49,
}
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs", "cellStyles", "dxfs",
          "tableStyles", "colors", "extLst")
_CHILD = {"numFmts": "numFmt", "fonts": "font", "fills": "fill", "borders": "border", "cellXfs": "xf",
          "dxfs": "dxf"}

MINIMAL_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
    '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '<dxfs count="0"/></styleSheet>'
)


@dataclass(frozen=True)
class CellStyle:
    """A cell format in the terms xlperf uses. Colours are ARGB hex ('FFDDEBF7')."""

    num_fmt: str | None = None
    bold: bool = False
    font_color: str | None = None
    underline: bool = False
    fill: str | None = None
    border_bottom: bool = False
    wrap: bool = False
    valign: str | None = None


@dataclass(frozen=True)
class DiffStyle:
    """A differential format for a conditional-formatting rule."""

    font_color: str | None = None
    fill: str | None = None
    bold: bool = False


def _canon(el: Any) -> tuple[Any, ...]:
    attrs = tuple(sorted((xt.local(k), v) for k, v in el.attrib.items()))
    kids = tuple(_canon(c) for c in el if isinstance(c.tag, str))
    return (xt.local(el.tag), attrs, kids, (el.text or "").strip())


class StyleBook:
    """styles.xml as text, with ``xf``/``dxf`` lookups that append only when needed."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.original = text
        root = xt.parse(text)
        self._ns = root.nsmap.get(None) or next(iter(root.nsmap.values()), "")
        self._canon: dict[str, list[tuple[Any, ...]]] = {}
        for sec, child in _CHILD.items():
            kids: list[Any] = []
            for el in root:
                if xt.local(el.tag) == sec:
                    kids = [c for c in el if xt.local(c.tag) == child]
            self._canon[sec] = [_canon(c) for c in kids]
        fonts = [el for el in root if xt.local(el.tag) == "fonts"]
        self._font0: dict[str, str] = {}
        if fonts and len(fonts[0]):
            for c in fonts[0][0]:
                if xt.local(c.tag) in ("sz", "name", "family", "charset", "scheme") and c.get("val"):
                    self._font0[xt.local(c.tag)] = c.get("val")
        self._xf_fmt: list[int] = []
        for el in root:
            if xt.local(el.tag) == "cellXfs":
                self._xf_fmt = [int(c.get("numFmtId", "0") or 0) for c in el if xt.local(c.tag) == "xf"]
        self._fmt_ids: dict[str, int] = {}
        for el in root:
            if xt.local(el.tag) == "numFmts":
                for c in el:
                    if xt.local(c.tag) == "numFmt":
                        self._fmt_ids.setdefault(c.get("formatCode", ""), int(c.get("numFmtId", "0")))

    def is_date_xf(self, index: int) -> bool:
        """Whether cell format ``index`` shows a date or time (built-in ids 14-22 and 45-47, or a custom
        code with date/time letters outside quotes and brackets)."""
        if not 0 <= index < len(self._xf_fmt):
            return False
        fid = self._xf_fmt[index]
        if 14 <= fid <= 22 or 45 <= fid <= 47:
            return True
        code = next((c for c, i in self._fmt_ids.items() if i == fid), "")
        bare = re.sub(r'"[^"]*"|\[[^\]]*\]|\\.', "", code)
        return re.search(r"[ymdhs]", bare, re.IGNORECASE) is not None and "General" not in bare

    @property
    def changed(self) -> bool:
        return self.text != self.original

    # ----------------------------------------------------------------- low level
    def _prefixed(self, snippet: str, prefix: str) -> str:
        return re.sub(r"<(/?)(?=[A-Za-z])", rf"<\g<1>{prefix}", snippet) if prefix else snippet

    def _section(self, sec: str) -> xt.Span:
        span = xt.first(self.text, sec)
        if span is not None:
            return span
        root = xt.first(self.text, "styleSheet")
        assert root is not None
        at = root.open_end
        for prior in _ORDER[:_ORDER.index(sec)]:
            sp = xt.first(self.text, prior)
            if sp is not None:
                at = max(at, sp.end)
        self.text = self.text[:at] + f'<{root.prefix}{sec} count="0"/>' + self.text[at:]
        span = xt.first(self.text, sec)
        assert span is not None
        return span

    def _index(self, sec: str, snippet: str) -> int:
        """Index of an identical entry in section ``sec``, appending ``snippet`` if there is none."""
        probe = xt.parse(f'<r xmlns="{self._ns}">{snippet}</r>')[0]
        key = _canon(probe)
        if key in self._canon[sec]:
            return self._canon[sec].index(key)
        span = self._section(sec)
        self.text = xt.append_child(self.text, span, self._prefixed(snippet, span.prefix))
        self._canon[sec].append(key)
        after = xt.first(self.text, sec)
        assert after is not None
        self.text = xt.set_attr(self.text, after, "count", str(len(self._canon[sec])))
        return len(self._canon[sec]) - 1

    def num_fmt(self, code: str | None) -> int:
        if not code:
            return 0
        if code in BUILTIN_FORMATS:
            return BUILTIN_FORMATS[code]
        if code in self._fmt_ids:
            return self._fmt_ids[code]
        new = max([163, *self._fmt_ids.values()]) + 1
        span = self._section("numFmts")
        self.text = xt.append_child(self.text, span, self._prefixed(
            f'<numFmt numFmtId="{new}" formatCode="{xt.esc_attr(code)}"/>', span.prefix))
        self._fmt_ids[code] = new
        after = xt.first(self.text, "numFmts")
        assert after is not None
        self.text = xt.set_attr(self.text, after, "count", str(len(self._fmt_ids)))
        return new

    def _font(self, bold: bool, underline: bool, color: str | None) -> int:
        f = self._font0
        parts = ["<b/>" if bold else "", "<u/>" if underline else "",
                 f'<sz val="{f.get("sz", "11")}"/>', f'<color rgb="{color}"/>' if color else "",
                 f'<name val="{xt.esc_attr(f.get("name", "Calibri"))}"/>']
        for k in ("family", "charset", "scheme"):
            if k in f:
                parts.append(f'<{k} val="{xt.esc_attr(f[k])}"/>')
        return self._index("fonts", "<font>" + "".join(parts) + "</font>")

    def _fill(self, rgb: str | None) -> int:
        if rgb is None:
            return 0
        return self._index("fills", f'<fill><patternFill patternType="solid"><fgColor rgb="{rgb}"/>'
                                    '<bgColor indexed="64"/></patternFill></fill>')

    def _border(self, bottom: bool) -> int:
        if not bottom:
            return 0
        return self._index("borders", '<border><left/><right/><top/><bottom style="thin"><color auto="1"/>'
                                      "</bottom><diagonal/></border>")

    # ----------------------------------------------------------------- what callers use
    def xf(self, style: CellStyle) -> int:
        """The cellXfs index of ``style`` (0 for the default look)."""
        if style == CellStyle():
            return 0
        fmt = self.num_fmt(style.num_fmt)
        plain_font = not (style.bold or style.underline or style.font_color)
        font = 0 if plain_font else self._font(style.bold, style.underline, style.font_color)
        fill = self._fill(style.fill)
        border = self._border(style.border_bottom)
        attrs = f'numFmtId="{fmt}" fontId="{font}" fillId="{fill}" borderId="{border}" xfId="0"'
        for flag, on in (("applyNumberFormat", fmt), ("applyFont", font), ("applyFill", fill),
                         ("applyBorder", border), ("applyAlignment", style.wrap or style.valign)):
            if on:
                attrs += f' {flag}="1"'
        align = ""
        if style.wrap or style.valign:
            align = ("<alignment" + (f' vertical="{style.valign}"' if style.valign else "")
                     + (' wrapText="1"' if style.wrap else "") + "/>")
        idx = self._index("cellXfs", f"<xf {attrs}>{align}</xf>" if align else f"<xf {attrs}/>")
        if idx == len(self._xf_fmt):
            self._xf_fmt.append(fmt)
        return idx

    def dxf(self, style: DiffStyle) -> int:
        """The dxfs index of a conditional-formatting look."""
        font = ""
        if style.bold or style.font_color:
            font = ("<font>" + ("<b/>" if style.bold else "")
                    + (f'<color rgb="{style.font_color}"/>' if style.font_color else "") + "</font>")
        fill = f'<fill><patternFill><bgColor rgb="{style.fill}"/></patternFill></fill>' if style.fill else ""
        return self._index("dxfs", f"<dxf>{font}{fill}</dxf>")
