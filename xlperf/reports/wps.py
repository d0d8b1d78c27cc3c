"""What a vendor pack may use so that it reads the same in WPS Spreadsheets (金山 WPS 表格) as in Excel.

xlwings drives only Microsoft Excel, so WPS users work through the command line and receive packs; a
pack must therefore hold nothing WPS would show differently. The sets below are what docs/USER_GUIDE.md
(section "WPS Office") lists with its sources; ``pack_features`` reads what a pack actually uses, and
the tests assert the one is inside the other, so a new formula or chart cannot slip in unchecked.

Kept deliberately small: Excel 2003-era worksheet functions (no ``_xlfn.`` names, no dynamic arrays,
no array formulas, no ``LOOKUP(2,1/…)`` division tricks), built-in number formats, clustered column and
line charts with their data cached in the chart part, no tables (so no structured references), no
defined names, conditional formats, data validations, macros or external links.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from html import unescape
from io import BytesIO

# Worksheet functions a pack may call: each is in WPS's function library since its first Excel-
# compatible releases (sources in docs/USER_GUIDE.md).
WPS_FUNCTIONS: frozenset[str] = frozenset({
    "AND", "AVERAGE", "IF", "MAX", "MIN", "N", "OR", "ROUND", "SUM", "SUMPRODUCT",
})
# Number formats a pack's cells may carry (format codes; built-in ones by their code).
WPS_NUMBER_FORMATS: frozenset[str] = frozenset({"General", "0", "0.00", "#,##0.00", "0%", "@", "yyyy-mm-dd",
                                                "0.0E+00"})
# DrawingML plot types a pack's charts may use.
WPS_CHART_TYPES: frozenset[str] = frozenset({"barChart", "lineChart"})

# ECMA-376 Part 1, 18.8.30: the built-in number formats (only the ids that can occur here).
BUILTIN_FORMATS = {0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%",
                   14: "yyyy-mm-dd", 49: "@"}
_FORMULA = re.compile(r"<f(?:\s[^>]*)?>([^<]*)</f>")
_STRING = re.compile(r'"(?:[^"]|"")*"')
_CALL = re.compile(r"(?<![A-Za-z0-9_.$'!])((?:_xlfn\.|_xlws\.)?[A-Z][A-Z0-9.]*)\(")
_FMT_ID = re.compile(r'<xf [^>]*numFmtId="(\d+)"')
_FMT_DEF = re.compile(r'<numFmt [^>]*numFmtId="(\d+)"[^>]*formatCode="([^"]*)"')
_PLOT = re.compile(r"<c:(\w+Chart)>")
_ARRAY = re.compile(r'<f [^>]*t="array"')


@dataclass
class PackFeatures:
    functions: set[str] = field(default_factory=set)
    number_formats: set[str] = field(default_factory=set)
    chart_types: set[str] = field(default_factory=set)
    other: set[str] = field(default_factory=set)  # features outside the WPS set (names of what was found)
    charts_without_cache: int = 0


def pack_features(data: bytes) -> PackFeatures:
    """Every function, number format, chart type and sheet feature a pack's package uses."""
    out = PackFeatures()
    with zipfile.ZipFile(BytesIO(data)) as z:
        names = z.namelist()
        for name in names:
            if name.startswith("xl/worksheets/sheet") and name.endswith(".xml"):
                xml = z.read(name).decode("utf-8")
                for formula in _FORMULA.findall(xml):
                    out.functions |= set(_CALL.findall(_STRING.sub('""', unescape(formula))))
                if _ARRAY.search(xml):
                    out.other.add("array formula")
                for tag, what in (("<conditionalFormatting", "conditional format"), ("<dataValidations", "data validation"),
                                  ("<tableParts", "table (structured references)"), ("<hyperlinks", "hyperlink")):
                    if tag in xml:
                        out.other.add(what)
            elif name == "xl/styles.xml":
                xml = z.read(name).decode("utf-8")
                custom = {int(i): unescape(code) for i, code in _FMT_DEF.findall(xml)}
                cell_xfs = xml[xml.find("<cellXfs"):xml.find("</cellXfs>")]
                for i in {int(i) for i in _FMT_ID.findall(cell_xfs)}:
                    out.number_formats.add(custom.get(i) or BUILTIN_FORMATS.get(i, f"built-in #{i}"))
            elif name.startswith("xl/charts/chart") and name.endswith(".xml"):
                xml = z.read(name).decode("utf-8")
                out.chart_types |= set(_PLOT.findall(xml))
                if "<c:numRef>" in xml and "<c:numCache>" not in xml:
                    out.charts_without_cache += 1
            elif name == "xl/workbook.xml" and re.search(r'<definedName(?![^>]*name="_xlnm\.Print_Titles")[\s>]',
                                                         z.read(name).decode("utf-8")):
                out.other.add("defined name")  # print titles (打印标题) are a page set-up WPS has too
            elif name.endswith("vbaProject.bin"):
                out.other.add("macros")
            elif name.startswith("xl/externalLinks/"):
                out.other.add("external link")
    return out


def outside_wps(data: bytes) -> list[str]:
    """What a pack uses beyond the WPS set (empty when it is inside): one line per finding."""
    f = pack_features(data)
    found = [f"function {x}" for x in sorted(f.functions - WPS_FUNCTIONS)]
    found += [f"number format {x}" for x in sorted(f.number_formats - WPS_NUMBER_FORMATS)]
    found += [f"chart type {x}" for x in sorted(f.chart_types - WPS_CHART_TYPES)]
    found += sorted(f.other)
    if f.charts_without_cache:
        found.append(f"{f.charts_without_cache} chart(s) without cached values")
    return found
