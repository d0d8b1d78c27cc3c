"""xlperf export BOOK WHAT [--format csv|json] [--out PATH]: any table, the findings or the results."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..contract import INPUT_TABLES, OUTPUTS_BY_NAME, TABLES_BY_NAME, normalise_header
from ..errors import UsageError
from ._common import file_engine

if TYPE_CHECKING:
    import pandas as pd

RESULT_KINDS = {"results": "xp_results", "scores": "xp_scores", "warnings": "xp_warnings"}
REVIEW_KINDS = {"simulation": "xp_simulation", "indicator_health": "xp_indicator_health",
                "rater_analysis": "xp_rater_analysis", "vendor_trends": "xp_vendor_trends"}
CHOICES = [t.name for t in INPUT_TABLES] + ["findings", *RESULT_KINDS, *REVIEW_KINDS]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("export", help="导出 / export a table, the findings or the results as CSV or JSON")
    p.add_argument("book")
    p.add_argument("what", help="one of: " + ", ".join(CHOICES))
    p.add_argument("--format", choices=("csv", "json"), default=None,
                   help="csv or json (default: from --out's extension, else csv)")
    p.add_argument("--out", help="file to write (default: print)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..io.csvio import frame_to_csv, frame_to_json

    out = Path(args.out) if args.out else None
    fmt = output_format(out, args.format)  # refused before any work
    frame = export_frame(args.book, args.what, args.lang)
    if fmt == "json":
        text = frame_to_json(frame)
        if out:
            out.write_text(text, encoding="utf-8")
        else:
            print(text)
    else:
        if out:
            frame_to_csv(frame, out)
        else:
            print(frame_to_csv(frame, None), end="")
    return 0


WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".xltx", ".xltm")


def output_format(out: Path | None, given: str | None) -> str:
    """csv or json: as given, else from the extension of ``out``. An extension that says something
    else (a workbook name, .csv with --format json) is refused: the file would not be what it says."""
    suffix = out.suffix.lower() if out is not None else ""
    if suffix in WORKBOOK_SUFFIXES:
        assert out is not None
        raise UsageError(f"export 只写 CSV 或 JSON 文本，不写工作簿：请把 {out.name} 改为 .csv 或 .json。",
                         f"export writes CSV or JSON text, not a workbook: name the file .csv or .json instead of {out.name}.")
    implied = {".csv": "csv", ".json": "json"}.get(suffix)
    if given and implied and given != implied:
        assert out is not None
        raise UsageError(f"--format {given} 与文件名 {out.name} 的扩展名不符。",
                         f"--format {given} does not match the extension of {out.name}.")
    return given or implied or "csv"


def export_frame(book: str, what: str, lang: str | None) -> pd.DataFrame:
    from ..jobs import previous_rows, validate_raw

    if what not in CHOICES:
        raise UsageError(f"无法导出 {what}：可选 {', '.join(CHOICES)}",
                         f"Cannot export {what!r}: choose one of {', '.join(CHOICES)}")
    raw = file_engine(book).read()
    if what in REVIEW_KINDS:
        return _review_frame(book, raw, what, lang)
    if what in RESULT_KINDS:
        stored = previous_rows(raw, RESULT_KINDS[what])
        if stored is not None:
            return stored.loc[:, [c for c in stored.columns if not str(c).startswith("_extra_")]]
        # Nothing written yet: compute in memory, write nothing.
        from ..engine import compute

        inputs, report = validate_raw(raw, lang)
        if inputs is None:
            from ..errors import ValidationFailed

            raise ValidationFailed(report)
        results = compute(inputs, None)
        return getattr(results, what)  # type: ignore[no-any-return]
    inputs, report = validate_raw(raw, lang)
    if what == "findings":
        return report.to_frame()
    if inputs is not None and what in inputs.tables:
        frame = inputs.tables[what]
        return frame.loc[:, [c for c in frame.columns if not str(c).startswith("_")]]
    return _raw_by_key(raw, what)


def _raw_by_key(raw: object, name: str) -> pd.DataFrame:
    import pandas as pd

    """The table as typed in, columns renamed to field keys (used when validation found errors)."""
    from ..book import RawBook

    assert isinstance(raw, RawBook)
    table = raw.tables.get(name)
    spec = TABLES_BY_NAME.get(name) or OUTPUTS_BY_NAME[name]
    if table is None:
        return pd.DataFrame(columns=list(spec.keys))
    header_map = spec.header_map()
    keys = [header_map.get(normalise_header(h)) for h in table.headers]
    frame = table.data.copy()
    frame.columns = [k or f"_extra_{i}" for i, k in enumerate(keys)]
    return frame.loc[:, [k for k in spec.keys if k in frame.columns]]


def _review_frame(book: str, raw: object, what: str, lang: str | None) -> pd.DataFrame:
    """A simulation or health table: as written last by simulate/analyze, else computed now (nothing written)."""
    from ..book import RawBook
    from ..jobs import previous_rows

    assert isinstance(raw, RawBook)
    stored = previous_rows(raw, REVIEW_KINDS[what])
    if stored is not None:
        return stored.loc[:, [c for c in stored.columns if not str(c).startswith("_extra_")]]
    from ..jobs_review import run_analyze, run_simulate

    engine: Any = _NoWrite(file_engine(book))
    summary = run_simulate(engine, lang=lang) if what == "simulation" else run_analyze(engine, lang=lang)
    frame: pd.DataFrame = summary.frames[what]
    return frame.drop(columns=[c for c in ("advice",) if c in frame.columns])


class _NoWrite:
    """A file engine that reads the book and writes nothing (export only looks)."""

    def __init__(self, engine: object) -> None:
        self.engine = engine

    def read(self) -> object:
        return self.engine.read()  # type: ignore[attr-defined]

    def read_tables(self, names: object) -> object:
        return self.engine.read_tables(names)  # type: ignore[attr-defined]

    def write(self, blocks: object) -> None:
        return None
