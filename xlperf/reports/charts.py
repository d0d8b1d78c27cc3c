"""Chart and drawing parts, generated as XML (DrawingML), so their caches hold exactly what we put there.

A chart's ``numCache``/``strCache`` is a copy of the data it plots; for a vendor pack it must hold only
that vendor's numbers, so we write the caches ourselves instead of letting a library fill them.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
XDR_NS = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
CHART_CT = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
DRAWING_CT = "application/vnd.openxmlformats-officedocument.drawing+xml"
CHART_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/chart"
DRAWING_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"


@dataclass
class Series:
    name: str
    values: list[float | None]
    ref: str | None = None  # e.g. 'Sheet'!$C$9:$C$12 (None → literal values only)
    color: str = "2F5597"


@dataclass
class ChartSpec:
    title: str
    categories: list[str]
    series: list[Series]
    cat_ref: str | None = None
    kind: str = "bar"  # "bar" (vertical columns) or "line"
    y_max: float | None = None
    y_min: float | None = 0.0  # None: let Excel choose (values below zero, e.g. a rater's gap)


def quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def col_ref(sheet: str, col: int, first_row: int, last_row: int) -> str:
    letter = get_column_letter(col)
    return f"{quote_sheet(sheet)}!${letter}${first_row}:${letter}${last_row}"


def _str_data(tag: str, ref: str | None, items: list[str]) -> str:
    pts = "".join(f'<c:pt idx="{i}"><c:v>{escape(v)}</c:v></c:pt>' for i, v in enumerate(items))
    cache = f'<c:ptCount val="{len(items)}"/>{pts}'
    if ref:
        return f"<c:{tag}><c:strRef><c:f>{escape(ref)}</c:f><c:strCache>{cache}</c:strCache></c:strRef></c:{tag}>"
    return f"<c:{tag}><c:strLit>{cache}</c:strLit></c:{tag}>"


def _num_data(ref: str | None, values: list[float | None]) -> str:
    pts = "".join(f'<c:pt idx="{i}"><c:v>{v!r}</c:v></c:pt>' for i, v in enumerate(values) if v is not None)
    cache = f'<c:formatCode>0.00</c:formatCode><c:ptCount val="{len(values)}"/>{pts}'
    if ref:
        return f"<c:val><c:numRef><c:f>{escape(ref)}</c:f><c:numCache>{cache}</c:numCache></c:numRef></c:val>"
    return f"<c:val><c:numLit>{cache}</c:numLit></c:val>"


def _title(text: str, size: int = 1200) -> str:
    return (f'<c:title><c:tx><c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="{size}" b="1"/></a:pPr>'
            f'<a:r><a:rPr lang="zh-CN" sz="{size}" b="1"/><a:t>{escape(text)}</a:t></a:r></a:p></c:rich></c:tx>'
            f'<c:overlay val="0"/></c:title>')


def chart_xml(spec: ChartSpec) -> bytes:
    series_xml = []
    for i, s in enumerate(spec.series):
        fill = (f'<c:spPr><a:solidFill><a:srgbClr val="{s.color}"/></a:solidFill></c:spPr>' if spec.kind == "bar"
                else f'<c:spPr><a:ln w="28575"><a:solidFill><a:srgbClr val="{s.color}"/></a:solidFill></a:ln></c:spPr>'
                     '<c:marker><c:symbol val="circle"/><c:size val="6"/></c:marker>')
        labels = ('<c:dLbls><c:numFmt formatCode="0.0" sourceLinked="0"/><c:spPr><a:noFill/><a:ln><a:noFill/></a:ln>'
                  '</c:spPr><c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
                  '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/></c:dLbls>'
                  if spec.kind == "bar" else "")
        series_xml.append(
            f'<c:ser><c:idx val="{i}"/><c:order val="{i}"/>'
            f'<c:tx><c:v>{escape(s.name)}</c:v></c:tx>{fill}{labels}'
            f'{_str_data("cat", spec.cat_ref, spec.categories)}{_num_data(s.ref, s.values)}'
            + ('<c:smooth val="0"/>' if spec.kind == "line" else "") + '</c:ser>')
    if spec.kind == "bar":
        plot = ('<c:barChart><c:barDir val="col"/><c:grouping val="clustered"/><c:varyColors val="0"/>'
                + "".join(series_xml) + '<c:gapWidth val="80"/><c:axId val="5001"/><c:axId val="5002"/></c:barChart>')
    else:
        plot = ('<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>' + "".join(series_xml)
                + '<c:marker val="1"/><c:axId val="5001"/><c:axId val="5002"/></c:lineChart>')
    scaling = f'<c:max val="{spec.y_max!r}"/>' if spec.y_max is not None else ""
    scaling += f'<c:min val="{spec.y_min:g}"/>' if spec.y_min is not None else ""
    legend = ('<c:legend><c:legendPos val="b"/><c:overlay val="0"/></c:legend>' if len(spec.series) > 1 else "")
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<c:chartSpace xmlns:c="{C_NS}" xmlns:a="{A_NS}" xmlns:r="{R_NS}">'
        '<c:roundedCorners val="0"/>'
        f'<c:chart>{_title(spec.title)}<c:autoTitleDeleted val="0"/><c:plotArea><c:layout/>{plot}'
        '<c:catAx><c:axId val="5001"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:delete val="0"/>'
        '<c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="0"/><c:tickLblPos val="nextTo"/>'
        '<c:crossAx val="5002"/><c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
        '<c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>'
        f'<c:valAx><c:axId val="5002"/><c:scaling><c:orientation val="minMax"/>{scaling}</c:scaling>'
        '<c:delete val="0"/><c:axPos val="l"/><c:majorGridlines><c:spPr><a:ln><a:solidFill><a:srgbClr val="D9D9D9"/>'
        '</a:solidFill></a:ln></c:spPr></c:majorGridlines><c:numFmt formatCode="0" sourceLinked="0"/>'
        '<c:tickLblPos val="nextTo"/><c:crossAx val="5001"/><c:crosses val="autoZero"/>'
        '<c:crossBetween val="between"/></c:valAx></c:plotArea>'
        f'{legend}<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        '<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="900"/></a:pPr><a:endParaRPr lang="zh-CN"/></a:p></c:txPr>'
        '</c:chartSpace>'
    )
    return xml.encode("utf-8")


def drawing_xml(anchors: list[tuple[tuple[int, int, int, int], str, str]]) -> bytes:
    """One drawing part: per chart its box (r1, c1, r2, c2; 1-based, inclusive), relationship id, name."""
    frames = []
    for n, ((r1, c1, r2, c2), rid, name) in enumerate(anchors, start=1):
        frames.append(
            '<xdr:twoCellAnchor editAs="oneCell">'
            f'<xdr:from><xdr:col>{c1 - 1}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{r1 - 1}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>'
            f'<xdr:to><xdr:col>{c2}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>{r2}</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>'
            f'<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="{n + 1}" name="{escape(name)}"/>'
            '<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>'
            '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>'
            f'<a:graphic><a:graphicData uri="{C_NS}"><c:chart xmlns:c="{C_NS}" r:id="{rid}"/></a:graphicData></a:graphic>'
            '</xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>')
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<xdr:wsDr xmlns:xdr="{XDR_NS}" xmlns:a="{A_NS}" xmlns:r="{R_NS}">' + "".join(frames)
            + '</xdr:wsDr>').encode("utf-8")


def rels_xml(rels: list[tuple[str, str, str]]) -> bytes:
    """A .rels part: (id, type, target) triples."""
    body = "".join(f'<Relationship Id="{rid}" Type="{typ}" Target="{escape(target)}"/>' for rid, typ, target in rels)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + body + '</Relationships>').encode("utf-8")
