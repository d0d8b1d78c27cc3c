"""Vendor packs use only what WPS Spreadsheets supports: the functions, number formats, chart types and
sheet features of every demo pack, against the set xlperf/reports/wps.py and docs/USER_GUIDE.md list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from xlperf.reports.pack_formulas import RuleRefs, score_formula
from xlperf.reports.share import load_scored, make_packs
from xlperf.reports.wps import (
    WPS_CHART_TYPES,
    WPS_FUNCTIONS,
    WPS_NUMBER_FORMATS,
    outside_wps,
    pack_features,
)

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "USER_GUIDE.md"


@pytest.fixture(scope="module")
def packs(tmp_path_factory: pytest.TempPathFactory) -> list:  # type: ignore[type-arg]
    from xlperf.demo import write_demo_book

    book = write_demo_book(tmp_path_factory.mktemp("wps") / "demo.xlsm")
    return make_packs(load_scored(book))


def test_every_demo_pack_uses_only_what_wps_supports(packs: list) -> None:  # type: ignore[type-arg]
    used: set[str] = set()
    for pack in packs:
        assert outside_wps(pack.data) == [], pack.filename
        f = pack_features(pack.data)
        used |= f.functions
        assert f.number_formats <= WPS_NUMBER_FORMATS and f.chart_types <= WPS_CHART_TYPES == {"barChart", "lineChart"}
        assert f.chart_types == {"barChart"} and f.charts_without_cache == 0
    # what the packs actually call (a pack without bands or rating indicators would call fewer)
    assert used == {"IF", "ROUND", "MAX", "MIN", "N", "OR", "AVERAGE", "SUMPRODUCT"}
    assert used <= WPS_FUNCTIONS


def test_band_scores_need_no_array_trick() -> None:
    refs = RuleRefs(bands={"B": ("'计分规则'!$E$9:$E$11", "'计分规则'!$F$9:$F$11", "'计分规则'!$D$9:$D$11")})
    formula = score_formula("bands", "higher", "I5", {"cap": "'计分规则'!$K$20"}, refs, "B", "zh")
    assert formula == ("=IF(I5=\"\",\"\",ROUND(MAX(0,MIN('计分规则'!$K$20,SUMPRODUCT(('计分规则'!$E$9:$E$11<=I5)"
                       "*(I5<'计分规则'!$F$9:$F$11)*'计分规则'!$D$9:$D$11))),2))")
    assert "LOOKUP" not in formula and "IFERROR" not in formula


def test_the_feature_scan_sees_what_wps_would_not_take(packs: list) -> None:  # type: ignore[type-arg]
    import io
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(packs[0].data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in src.namelist():
            data = src.read(name)
            if name == "xl/worksheets/sheet2.xml":
                data = data.replace(b"<f>", b"<f>_xlfn.XLOOKUP(1,A1:A2,B1:B2)+IFERROR(", 1).replace(b"</f>", b",0)</f>", 1)
            z.writestr(name, data)
    found = outside_wps(out.getvalue())
    assert "function IFERROR" in found and "function _xlfn.XLOOKUP" in found


def test_the_user_guide_lists_the_same_wps_set() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index("## 7. WPS Office"):]
    rows = {line.split("|")[1].strip(): line.split("|")[2] for line in section.splitlines() if line.startswith("| ")}
    assert set(re.findall(r"`([A-Z]+)`", rows["函数"])) == WPS_FUNCTIONS
    formats = set(re.findall(r"`([^`]+)`", rows["数字格式"])) | ({"General"} if "常规" in rows["数字格式"] else set())
    assert formats == WPS_NUMBER_FORMATS
    assert "簇状柱形图" in rows["图表"] and "折线图" in rows["图表"] and len(WPS_CHART_TYPES) == 2
    assert "https://wps.cn/learning/course/detail/id/130" in section and "xlwings/issues/1457" in section
