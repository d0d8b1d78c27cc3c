"""The jobs behind ``xlperf feedback`` and ``xlperf share``: load a workbook, score it, write reports.

    book = load_scored(path, period=None)              # validate + compute; stops on input errors
    sheets = write_feedback(book, out=None)             # feedback sheets + summary, one safe save
    packs = write_packs(book, out_dir, vendors=None)    # one .xlsx per vendor, scanned, maybe encrypted
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from ..engine.results import Results
from ..errors import UsageError, ValidationFailed, WriteError
from ..findings import Finding
from ..i18n import pick
from ..inputs import Inputs
from ..io.package import Package
from . import layout
from .bookparts import book_prototype, find_prototype, prototype_package, read_grid, shared_strings
from .encrypt import encrypt
from .feedback import period_order, related_periods, split_by_vendor, text, vendors_with_results
from .fill import interview_from_grid
from .leakscan import found_terms, index_terms, scan_package
from .pack import Pack, build_pack
from .writeback import write_reports


@dataclass
class ScoredBook:
    path: Path
    package: Package
    inputs: Inputs
    results: Results
    period: str
    lang: str
    # the reader's notes about rows under tables (xlperf.jobs.row_notes): said with the success line
    row_notes: list[Finding] = field(default_factory=list)
    # input tables with rows right below their range → last row: grown when the book is written
    grow: dict[str, int] = field(default_factory=dict)


@dataclass
class PackFile:
    vendor_id: str
    vendor_name: str
    path: Path
    encrypted: bool
    sheets: list[str] = field(default_factory=list)


def pick_period(inputs: Inputs, results_periods: list[str], period: str | None) -> str:
    ids = [str(p) for p in inputs["periods"]["period_id"]] if "periods" in inputs.tables else []
    if period:
        if ids and period not in ids:
            raise UsageError(f"没有名为 {period} 的期间。可用期间：{'、'.join(ids)}",
                             f"There is no period {period}. Periods: {', '.join(ids)}")
        return period
    if inputs.settings.current_period:
        return inputs.settings.current_period
    if results_periods:
        return results_periods[-1]
    raise UsageError("请用 --period 指定期间。", "Give the period with --period.")


def periods_to_compute(inputs: Inputs, period: str) -> list[str]:
    """The chosen period and every leaf period before it (for the change against the previous one)."""
    periods = inputs["periods"]
    parents = set(periods["rollup"].dropna().astype(str)) if "rollup" in periods else set()
    frame = periods.sort_values(["start", "end"], kind="stable")
    ordered = [str(p) for p in frame["period_id"]]
    if period not in ordered:
        return [period]
    children = [str(p) for p, r in zip(frame["period_id"], frame["rollup"]) if str(r) == period]
    end = frame.loc[frame["period_id"].astype(str) == period, "end"].iloc[0]
    leaves = [p for p, e in zip(ordered, frame["end"]) if p not in parents and (pd.isna(end) or e <= end)]
    return leaves if period in leaves or children else leaves + [period]


def load_scored(path: str | Path, period: str | None = None, lang: str | None = None) -> ScoredBook:
    """Read, validate and score a workbook file (nothing is written)."""
    from ..book import book_lang
    from ..engine import compute
    from ..io.filebook import FileBook
    from ..jobs import row_notes, validate_raw

    p = Path(path)
    raw = FileBook(p).read()
    lang = book_lang(raw, lang)
    inputs, report = validate_raw(raw, lang)
    if inputs is None:
        raise ValidationFailed(report)
    chosen = pick_period(inputs, [], period)
    results: Results = compute(inputs, periods_to_compute(inputs, chosen))
    if chosen not in set(results.results["period_id"].astype(str)):
        raise UsageError(f"期间 {chosen} 没有计算结果（没有监控数据？）。",
                         f"Period {chosen} has no results (no observations?).")
    grow = {t.name: t.header_row + len(t.data) for t in raw.tables.values() if t.appended_rows}
    return ScoredBook(p, Package.open(p), inputs, results, chosen, lang, row_notes(report), grow)


def write_feedback(book: ScoredBook, out: str | Path | None = None, vendors: list[str] | None = None) -> list[str]:
    """Feedback sheets (one per vendor) and the summary sheet, saved atomically into the book or ``out``."""
    from ..io.safesave import atomic_write, check_not_locked
    from ..io.writer import extend_table, fit_target

    target = Path(out) if out else book.path
    check_not_locked(target)
    check_vendors(book, vendors)
    names = write_reports(book.package, book.inputs, book.results, book.period, book.lang, vendors)
    for table_name, last_row in book.grow.items():  # rows typed right below a table are its rows
        extend_table(book.package, table_name, last_row)
    fit_target(book.package, target)  # an .xlsx is written macro-free (xlperf.io.extension)
    with atomic_write(target) as fp:
        book.package.save(fp)
    return names


def check_vendors(book: ScoredBook, vendors: list[str] | None) -> None:
    """Refuse (UsageError, exit 2, nothing written) a vendor id that has no results in the period,
    rather than writing an empty sheet or pack for it."""
    known = vendors_with_results(book.results, book.period)
    listed = set(book.inputs["vendors"]["vendor_id"].astype(str)) if "vendors" in book.inputs.tables else set()
    for vendor_id in vendors or []:
        if vendor_id in known:
            continue
        if vendor_id not in listed:
            raise UsageError(f"没有编号为 {vendor_id} 的供应商。期间 {book.period} 有结果的供应商：{'、'.join(known)}",
                             f"There is no vendor {vendor_id}. Vendors with results for {book.period}: "
                             f"{', '.join(known)}")
        raise UsageError(f"供应商 {vendor_id} 在期间 {book.period} 没有结果。",
                         f"Vendor {vendor_id} has no results for {book.period}.")


def vendor_terms(inputs: Inputs, vendor_id: str) -> list[str]:
    """What must never appear in this vendor's pack: every other vendor's ids, names, contract numbers,
    contacts and e-mail addresses, and their workers' ids and names."""
    v = inputs["vendors"]
    w = inputs["workers"] if "workers" in inputs.tables else pd.DataFrame(columns=["vendor_id", "worker_id", "name"])
    others = v[v["vendor_id"].astype(str) != vendor_id]
    other_workers = w[w["vendor_id"].astype(str) != vendor_id]
    own_cols = [c for c in ("vendor_id", "name", "contract_no", "contact", "email") if c in v]
    own = {text(x) for x in v[v["vendor_id"].astype(str) == vendor_id][own_cols].stack()}
    own |= {text(x) for x in w[w["vendor_id"].astype(str) == vendor_id][["worker_id", "name"]].stack()}
    terms = [text(x) for x in others["vendor_id"]] + [text(x) for x in others["name"]]
    for extra in ("contract_no", "contact", "email"):  # contacts too: stricter than the minimum
        terms += [text(x) for x in others.get(extra, pd.Series(dtype=object)).dropna()]
    terms += [text(x) for x in other_workers["worker_id"]] + [text(x) for x in other_workers["name"]]
    # a term that is part of this vendor's own data (two workers named alike) cannot be told apart
    candidates = {t.lower(): t for t in terms if t and len(t) >= 2}
    inside_own = found_terms("\n".join(o.lower() for o in own), index_terms(sorted(candidates)))
    return sorted({t for low, t in candidates.items() if low not in inside_own})


def make_packs(book: ScoredBook, vendors: list[str] | None = None, generated: str | None = None) -> list[Pack]:
    proto = prototype_package(book.package, book.lang)
    # the interview records typed into the book's feedback sheets go into the packs too
    book_proto = book_prototype(book.package, book.lang)[0] if find_prototype(book.package, book.lang) else None
    strings = shared_strings(book.package) if book_proto is not None else []
    mine = split_by_vendor(book.results, related_periods(book.inputs, book.results, book.period))
    chosen = vendors or vendors_with_results(book.results, book.period)
    check_vendors(book, vendors)
    packs = []
    for vendor_id in chosen:
        interview: dict[str, Any] = {}
        if book_proto is not None:
            old = read_grid(book.package, layout.feedback_sheet_name(vendor_id, book.period, book.lang), strings)
            interview = interview_from_grid(book_proto, old.values) if old is not None else {}
        pack = build_pack(book.inputs, mine[vendor_id], vendor_id, book.period, proto, book.lang, interview, generated)
        hits = scan_package(pack.data, vendor_terms(book.inputs, vendor_id))
        if hits:  # never reached by design; a safety net if a future change leaks
            raise WriteError(
                f"供应商包 {pack.filename} 含有其他供应商的信息（{hits[0].term} 在 {hits[0].part}），未写出。",
                f"The pack {pack.filename} contains another vendor's data ({hits[0].term} in {hits[0].part}); "
                "nothing was written.")
        packs.append(pack)
    return packs


def write_packs(book: ScoredBook, out_dir: str | Path, vendors: list[str] | None = None,
                generated: str | None = None) -> list[PackFile]:
    """Write one pack per vendor into ``out_dir``; encrypted when the vendor row has a pack password."""
    from ..io.safesave import atomic_write

    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for pack in make_packs(book, vendors, generated):
        data = encrypt(pack.data, pack.password) if pack.password else pack.data
        path = folder / pack.filename
        with atomic_write(path, backup=False) as fp:
            fp.write(data)
        written.append(PackFile(pack.vendor_id, pack.vendor_name, path, pack.encrypted, pack.sheet_names))
    return written


def packs_report(files: list[PackFile], lang: str) -> str:
    lines = []
    for f in files:
        lock = pick(lang, "已加密（密码见供应商表“反馈包密码”）", "encrypted (password: the vendor row's pack password)") \
            if f.encrypted else pick(lang, "未加密", "not encrypted")
        lines.append(f"{f.path}  {f.vendor_id} {f.vendor_name}  {lock}")
    n = sum(f.encrypted for f in files)
    lines.append(pick(lang, f"共 {len(files)} 个供应商包，其中 {n} 个已加密。",
                      f"{len(files)} vendor pack(s), {n} encrypted."))
    return "\n".join(lines)


__all__ = [
    "PackFile",
    "ScoredBook",
    "check_vendors",
    "load_scored",
    "make_packs",
    "packs_report",
    "period_order",
    "vendor_terms",
    "write_feedback",
    "write_packs",
]
