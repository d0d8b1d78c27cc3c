"""Every vendor pack of the demo, end to end: ``xlperf share`` on the demo workbook, then each pack is
opened (decrypted with its vendor's password where it has one), scanned part by part for any other
vendor's data, recalculated by LibreOffice and rendered to PDF."""

from __future__ import annotations

import math
import zipfile
from io import BytesIO
from pathlib import Path

import msoffcrypto
import msoffcrypto.exceptions
import openpyxl
import pandas as pd
import pytest
from reports_helpers import lo_convert, zero_cached_values

from xlperf.cli import main
from xlperf.reports.encrypt import decrypt, is_encrypted
from xlperf.reports.leakscan import scan_package
from xlperf.reports.share import ScoredBook, load_scored, make_packs

pytestmark = [pytest.mark.libreoffice, pytest.mark.slow]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[ScoredBook, Path, str]:
    """The demo workbook and ``xlperf share`` on it, made once and shared by parallel test workers."""
    import contextlib
    import fcntl
    import io

    from xlperf.demo import write_demo_book

    # one folder per test session: under xdist the workers' base folders share a parent; without
    # it, the parent is shared by every session of the machine (stale packs from older code)
    base = tmp_path_factory.getbasetemp()
    shared = (base.parent if base.name.startswith("popen-gw") else base) / "xlperf-demo-packs"
    shared.mkdir(exist_ok=True)
    book, out, log = shared / "demo.xlsm", shared / "packs", shared / "share.txt"
    with open(shared / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the first worker builds, the others wait and reuse
        if not log.exists():
            write_demo_book(book)
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                assert main(["share", str(book), "--out", str(out)]) == 0
            log.write_text(buf.getvalue(), encoding="utf-8")
    return load_scored(book), out, log.read_text(encoding="utf-8")


def _vendors(book: ScoredBook) -> pd.DataFrame:
    return book.inputs["vendors"].set_index(book.inputs["vendors"]["vendor_id"].astype(str))


def _plain(book: ScoredBook, path: Path) -> bytes:
    data = path.read_bytes()
    vid = path.name.split("_", 1)[0]
    password = _vendors(book).loc[vid, "pack_password"]
    if is_encrypted(data):
        return decrypt(data, str(password))
    assert password is None or (isinstance(password, float) and math.isnan(password)) or password == ""
    return data


def test_one_pack_per_vendor_and_the_encrypted_ones_are_reported(demo):
    book, out, printed = demo
    vendors = _vendors(book)
    files = sorted(out.glob("*.xlsx"))
    assert [f.name.split("_", 1)[0] for f in files] == sorted(vendors.index)
    with_password = {v for v, p in vendors["pack_password"].items() if isinstance(p, str) and p}
    assert with_password  # the demo shows the feature
    assert {f.name.split("_", 1)[0] for f in files if is_encrypted(f.read_bytes())} == with_password
    for vid in with_password:
        line = next(l for l in printed.splitlines() if f" {vid} " in l)
        assert "已加密" in line
    assert f"其中 {len(with_password)} 个已加密" in printed


def test_encrypted_packs_need_their_password(demo):
    book, out, _ = demo
    for f in sorted(out.glob("*.xlsx")):
        data = f.read_bytes()
        if not is_encrypted(data):
            continue
        with pytest.raises(zipfile.BadZipFile):
            zipfile.ZipFile(BytesIO(data))
        office = msoffcrypto.OfficeFile(BytesIO(data))
        with pytest.raises(msoffcrypto.exceptions.InvalidKeyError):
            office.load_key(password="not-the-password", verify_password=True)
        assert openpyxl.load_workbook(BytesIO(_plain(book, f))).sheetnames[0].startswith("反馈_")


def test_no_pack_holds_any_other_vendors_data(demo):
    book, out, _ = demo
    vendors = book.inputs["vendors"]
    workers = book.inputs["workers"]
    for f in sorted(out.glob("*.xlsx")):
        vid = f.name.split("_", 1)[0]
        others = vendors[vendors["vendor_id"].astype(str) != vid]
        other_workers = workers[workers["vendor_id"].astype(str) != vid]
        terms = ([str(x) for x in others["vendor_id"]] + [str(x) for x in others["name"]]
                 + [str(x) for x in others["contract_no"].dropna()]
                 + [str(x) for x in other_workers["worker_id"]] + [str(x) for x in other_workers["name"]])
        # a worker of this vendor may share a name with someone elsewhere: that name is this vendor's own
        own_names = set(workers[workers["vendor_id"].astype(str) == vid]["name"].astype(str))
        own_low = [o.lower() for o in own_names]  # the scan ignores case
        terms = [t for t in terms if not any(t.lower() in o for o in own_low)]
        assert len(terms) > 100
        plain = _plain(book, f)
        assert scan_package(plain, terms) == [], f.name
        own = str(_vendors(book).loc[vid, "name"])
        assert scan_package(plain, [own]), "the scan must see the vendor's own name"


def test_libreoffice_recomputes_every_score_and_total(demo, tmp_path: Path):
    book, out, _ = demo
    engine_scores = book.results.scores
    engine_results = book.results.results
    period = book.period
    tampered = []
    for f in sorted(out.glob("*.xlsx")):
        # cached values zeroed: what LibreOffice shows can only come from recalculating the formulas
        p = tmp_path / f"t_{f.name}"
        p.write_bytes(zero_cached_values(_plain(book, f)))
        tampered.append(p)
    # and one roll-up (quarter) pack: its totals are the mean of the months' totals
    parents = [str(r) for r in book.inputs["periods"]["rollup"].dropna() if str(r)]
    q_book = load_scored(book.path, period=parents[0])
    (q_pack,) = make_packs(q_book, [sorted(_vendors(book).index)[1]])
    q_path = tmp_path / f"t_{q_pack.filename}"
    q_path.write_bytes(zero_cached_values(q_pack.data))
    converted = lo_convert(tampered + [q_path], "xlsx", tmp_path / "recalc")
    q_wb = openpyxl.load_workbook(converted.pop(), data_only=True)
    q_res = q_wb["结果"]
    q_header = [c.value for c in q_res[3]]
    q_expected = q_book.results.results
    q_expected = q_expected[(q_expected["vendor_id"] == q_pack.vendor_id) & (q_expected["period_id"] == parents[0])]
    q_totals = {str(w or ""): t for w, t in zip(q_expected["worker_id"].fillna(""), q_expected["total"])}
    q_seen = 0
    for row in q_res.iter_rows(min_row=4, max_row=3 + len(q_totals), values_only=True):
        assert row[0] == parents[0]
        assert row[q_header.index("总分")] == pytest.approx(q_totals[str(row[2] or "")], abs=0.005)
        q_seen += 1
    assert q_seen == len(q_totals) > 1
    checked_scores = checked_totals = 0
    for src, conv in zip(tampered, converted):
        vid = src.name[2:].split("_", 1)[0]
        wb = openpyxl.load_workbook(conv, data_only=True)
        check, res = wb["计分核对"], wb["结果"]
        es = engine_scores[(engine_scores["vendor_id"] == vid) & (engine_scores["period_id"] == period)]
        expected = {(str(w or ""), i): s for w, i, s in zip(es["worker_id"].fillna(""), es["indicator_id"], es["score"])}
        for row in check.iter_rows(min_row=4, values_only=True):
            if row[0] is None or row[7] == "一票否决":  # the method in the pack's language (veto)
                continue
            want = expected[(str(row[2] or ""), row[4])]
            if isinstance(want, float) and math.isnan(want):
                assert row[9] in (None, ""), row
            else:
                assert row[9] == pytest.approx(want, abs=0.005), (vid, row)
                checked_scores += 1
        header = [c.value for c in res[3]]
        tcol = header.index("总分")
        er = engine_results[(engine_results["vendor_id"] == vid) & (engine_results["period_id"] == period)]
        totals = {str(w or ""): t for w, t in zip(er["worker_id"].fillna(""), er["total"])}
        for row in res.iter_rows(min_row=4, values_only=True):
            if row[0] is None:
                continue
            assert row[tcol] == pytest.approx(totals[str(row[2] or "")], abs=0.005), (vid, row)
            checked_totals += 1
    assert checked_scores > 500 and checked_totals == len(engine_results[engine_results["period_id"] == period])


def test_libreoffice_renders_every_feedback_sheet_to_pdf(demo, tmp_path: Path):
    from xlperf.reports.bookparts import prototype_package
    from xlperf.reports.pack import build_pack

    book, _, _ = demo
    proto = prototype_package(book.package, book.lang)
    files = []
    for vid in sorted(_vendors(book).index):
        pack = build_pack(book.inputs, book.results, vid, book.period, proto, book.lang, feedback_only=True)
        assert pack.sheet_names == [f"反馈_{vid}_{book.period}"]
        p = tmp_path / pack.filename
        p.write_bytes(pack.data)
        files.append(p)
    pdfs = lo_convert(files, "pdf", tmp_path / "pdf")
    for pdf in pdfs:
        data = pdf.read_bytes()
        pages = data.count(b"/Type /Page\n") + data.count(b"/Type/Page/") + data.count(b"/Type /Page ")
        assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF") and pages >= 1, pdf.name
    # every vendor's sheet prints on at most two A4 pages, the biggest vendor's too, with Chinese glyphs
    from pypdf import PdfReader

    from xlperf.reports.screenshots import biggest_vendor, cjk_fonts, pdf_pages

    big = biggest_vendor(book)
    workers = book.results.results
    assert len(workers[(workers["vendor_id"] == big) & (workers["period_id"] == book.period)]) > 50
    for pdf in pdfs:
        assert 1 <= pdf_pages(pdf) <= 2, pdf.name
        box = PdfReader(str(pdf)).pages[0].mediabox
        assert (round(float(box.width)), round(float(box.height))) == (595, 842), pdf.name  # A4 portrait
        assert cjk_fonts(pdf), pdf.name  # a CJK font is embedded: no boxes for Chinese
    big_pdf = next(p for p in pdfs if p.name.startswith(big + "_"))
    assert pdf_pages(big_pdf) <= 2


def test_feedback_command_writes_only_xlperf_sheets_into_the_demo(demo, tmp_path: Path):
    import re

    book, _, _ = demo
    out = tmp_path / "with_feedback.xlsm"
    assert main(["feedback", str(book.path), "--out", str(out)]) == 0
    with zipfile.ZipFile(book.path) as a, zipfile.ZipFile(out) as b:
        before = {n: a.read(n) for n in a.namelist()}
        after = {n: b.read(n) for n in b.namelist()}
    # every part of the original except the sheet registry is byte-identical (macros, ribbon, inputs)
    registry = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml", "docProps/app.xml"}
    assert [n for n in before if n not in registry and before[n] != after.get(n)] == []
    wb = openpyxl.load_workbook(out, read_only=True)
    vids = sorted(_vendors(book).index)
    assert [s for s in wb.sheetnames if s.startswith("反馈_")] == [f"反馈_{v}_{book.period}" for v in vids]
    assert "绩效汇总" in wb.sheetnames
    new_charts = sorted(n for n in after if n.startswith("xl/charts/") and n not in before)
    assert len(new_charts) == len(vids) + 2
    # each feedback chart caches exactly its own vendor's dimension scores
    res = book.results.results
    dims = [c for c in res.columns if c.startswith("dim:")]
    for vid in vids:
        row = res[(res["vendor_id"] == vid) & (res["period_id"] == book.period) & (res["level"] == "vendor")].iloc[0]
        want = [float(row[d]) for d in dims if not math.isnan(float(row[d]))]
        chart = next(after[n].decode() for n in new_charts if f"'反馈_{vid}_{book.period}'!" in after[n].decode())
        assert [float(v) for v in re.findall(r"<c:numCache>.*?</c:numCache>", chart, re.DOTALL)
                and re.findall(r"<c:v>([-0-9.]+)</c:v>", re.findall(r"<c:numCache>.*?</c:numCache>", chart, re.DOTALL)[0])] \
            == want


def test_pack_band_formulas_score_open_and_closed_bounds_as_the_engine(tmp_path: Path):
    """Bands whose top band is closed ([97, 98) in PASS) and whose bottom band is open (INNOV): a
    value above every band scores 0 in the engine (no band applies), and so must the pack's formula
    once LibreOffice recalculates it (a lookup on the lower bounds alone would give the top band)."""
    from xlperf.demo import DEFAULT_SEED, build_book, demo_tables

    tables = dict(demo_tables("demo", DEFAULT_SEED, "zh"))
    bands = tables["bands"].copy()
    bands.loc[(bands["band_set"] == "PASS") & (bands["lower"] == 97), "upper"] = 98
    bands.loc[(bands["band_set"] == "INNOV") & (bands["lower"] == 0), "lower"] = None
    tables["bands"] = bands
    book = load_scored(build_book(tmp_path / "bands.xlsm", "zh", tables))
    scores = book.results.scores
    w03 = scores[(scores["indicator_id"] == "W03") & (scores["period_id"] == book.period)]
    above = w03[w03["actual"] >= 98]
    assert len(above) and (above["score"] == 0).all()
    vid = str(above["vendor_id"].iloc[0])
    (pack,) = make_packs(book, [vid])
    tampered = tmp_path / f"t_{pack.filename}"
    tampered.write_bytes(zero_cached_values(pack.data))  # make_packs: not yet encrypted
    (converted,) = lo_convert([tampered], "xlsx", tmp_path / "recalc")
    check = openpyxl.load_workbook(converted, data_only=True)["计分核对"]
    es = scores[(scores["vendor_id"] == vid) & (scores["period_id"] == book.period)]
    expected = {(str(w or ""), i): s for w, i, s in zip(es["worker_id"].fillna(""), es["indicator_id"], es["score"])}
    top = {str(w) for w in above.loc[above["vendor_id"] == vid, "worker_id"]}
    seen = {"above": 0, "W03": 0, "V05": 0}
    for row in check.iter_rows(min_row=4, values_only=True):
        if row[0] is None or row[4] not in ("W03", "V05"):
            continue
        assert row[9] == pytest.approx(expected[(str(row[2] or ""), row[4])], abs=0.005), row
        seen[row[4]] += 1
        if row[4] == "W03" and str(row[2]) in top:
            assert row[9] == 0
            seen["above"] += 1
    assert seen["above"] >= 1 and seen["W03"] > 5 and seen["V05"] == 1


@pytest.mark.parametrize("policy", ["zero", "exclude"])
def test_pack_totals_follow_the_missing_data_policy_as_the_engine(tmp_path: Path, policy: str):
    """With one worker's W01 and W02 observations taken out of the pack's period, the totals the pack's
    formulas give (recalculated by LibreOffice) equal the engine's under the `zero` and `exclude` policies."""
    from xlperf.demo import DEFAULT_SEED, build_book, demo_tables

    tables = dict(demo_tables("demo", DEFAULT_SEED, "zh"))
    settings = tables["settings"].copy()
    settings.loc[settings["key"] == "missing_policy", "value"] = policy
    tables["settings"] = settings
    obs = tables["observations"]
    current = str(settings.loc[settings["key"] == "current_period", "value"].iloc[0])
    worker = str(obs.loc[(obs["period_id"] == current) & (obs["indicator_id"] == "W01"), "worker_id"].iloc[0])
    gone = (obs["worker_id"] == worker) & (obs["period_id"] == current) & obs["indicator_id"].isin(["W01", "W02"])
    tables["observations"] = obs[~gone].reset_index(drop=True)
    book = load_scored(build_book(tmp_path / f"{policy}.xlsm", "zh", tables))
    assert book.period == current
    res = book.results.results
    mine = res[(res["worker_id"] == worker) & (res["period_id"] == current)]
    vid = str(mine["vendor_id"].iloc[0])
    want_total = mine["total"].iloc[0]
    assert (pd.isna(want_total) if policy == "exclude" else want_total > 0)
    (pack,) = make_packs(book, [vid])
    tampered = tmp_path / f"t_{pack.filename}"
    tampered.write_bytes(zero_cached_values(pack.data))
    (converted,) = lo_convert([tampered], "xlsx", tmp_path / "recalc")
    sheet = openpyxl.load_workbook(converted, data_only=True)["结果"]
    header = [c.value for c in sheet[3]]
    tcol = header.index("总分")
    er = res[(res["vendor_id"] == vid) & (res["period_id"] == current)]
    totals = {str(w or ""): t for w, t in zip(er["worker_id"].fillna(""), er["total"])}
    checked = 0
    for row in sheet.iter_rows(min_row=4, max_row=3 + len(totals), values_only=True):
        want = totals[str(row[2] or "")]
        if pd.isna(want):
            assert row[tcol] in (None, ""), row  # excluded: no total
        else:
            assert row[tcol] == pytest.approx(want, abs=0.005), row
        checked += 1
    assert checked == len(totals) and worker in totals
