"""The jobs both doors run: the CLI on files and the ribbon macros on the open workbook.

Each job takes a ``BookEngine`` (file or live) and does the same steps in the same order, so the two
doors give identical results. No job knows which engine it has.

    read → validate → (stop with findings | choose periods → compute → merge kept rows → write)
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd

from . import __version__
from .book import BookEngine, OutputBlock, RawBook, book_lang
from .contract import TABLES_BY_NAME
from .contract import outputs as out
from .contract.choices import PERIOD_STATUSES
from .engine.results import Results
from .errors import UsageError, ValidationFailed
from .findings import Finding, Report
from .i18n import pick
from .inputs import Inputs


@dataclass
class RecomputeSummary:
    periods: list[str]
    kept_closed: list[str]
    subjects: int
    score_rows: int
    warnings: int
    findings: int
    duration_s: float
    grade_counts: dict[str, int] = field(default_factory=dict)
    lang: str = "zh"
    results: Results | None = field(default=None, repr=False)
    # what the reader said about rows below tables (read as the table's, or not read at all): said
    # with the summary, never only among the findings, so no success hides rows left out
    row_notes: list[Finding] = field(default_factory=list)

    def text(self, lang: str | None = None) -> str:
        lang = lang or self.lang
        return "\n".join([self._line(lang), *row_note_lines(self.row_notes, lang)])

    def _line(self, lang: str) -> str:
        lang = lang or self.lang
        grades = "，".join(f"{g} {n}" for g, n in self.grade_counts.items()) if lang == "zh" else \
            ", ".join(f"{g} {n}" for g, n in self.grade_counts.items())
        kept = ""
        if self.kept_closed:
            kept = pick(lang, f"；已关闭期间未重算：{'、'.join(self.kept_closed)}",
                        f"; closed periods left as they were: {', '.join(self.kept_closed)}")
        return pick(
            lang,
            f"已重算 {len(self.periods)} 个期间（{'、'.join(self.periods)}）：{self.subjects} 个评估对象，"
            f"{self.score_rows} 条指标得分，{self.warnings} 条预警；等级分布 {grades}{kept}。用时 {self.duration_s:.1f} 秒。",
            f"Recomputed {len(self.periods)} period(s) ({', '.join(self.periods)}): {self.subjects} subjects, "
            f"{self.score_rows} indicator scores, {self.warnings} warnings; grades {grades}{kept}. "
            f"Took {self.duration_s:.1f} s.",
        )


# The reader's notes about rows under a table (xlperf.io.belowtable), repeated in the recompute summary.
ROW_NOTE_CODES = frozenset({"reader.rows-below-table", "reader.content-below-table"})


def row_notes(report: Report) -> list[Finding]:
    """The reader's notes about rows under tables, to be said with any success message."""
    return [f for f in report if f.code in ROW_NOTE_CODES]


def row_note_lines(notes: list[Finding], lang: str) -> list[str]:
    return [pick(lang, f"注意：{f.sheet}!{f.cell} {f.message}。{f.hint}", f"Note: {f.sheet}!{f.cell} {f.message}. {f.hint}")
            for f in notes]


def validate_raw(raw: RawBook, lang: str | None = None) -> tuple[Inputs | None, Report]:
    from .validation import validate

    inputs, report = validate(raw, lang=lang)
    report.lang = book_lang(raw, lang)
    return inputs, report


def run_validate(engine: BookEngine, *, write: bool = False, lang: str | None = None) -> Report:
    """Validate the workbook; with ``write`` add or refresh the findings sheet (校验结果)."""
    raw = engine.read()
    lang = book_lang(raw, lang)
    _, report = validate_raw(raw, lang)
    if write:
        engine.write([findings_block(report, lang)])
    return report


def findings_block(report: Report, lang: str) -> OutputBlock:
    from .sheetwords import finding_words

    return OutputBlock(out.findings, finding_words(report.to_frame(), lang), lang)


def choose_periods(inputs: Inputs, *, period: str | None, all_periods: bool, force: bool,
                   lang: str) -> tuple[list[str], list[str]]:
    """Which periods to compute and which closed ones to leave alone.

    ``--period P``: P. ``--all``: every open period (every period with --force). Neither: the
    ``current_period`` setting, or every open period when it is blank. Roll-up periods are computed
    from their children by the engine, so only leaf periods are chosen here.
    """
    periods = inputs.tables["periods"]
    if periods.empty:
        raise UsageError("考核期间表为空：请先在“考核期间”中填写期间。", "The periods table is empty: add periods first.")
    ids = periods["period_id"].astype(str).tolist()
    status = dict(zip(ids, periods["status"].fillna("open").astype(str)))
    parents = set(periods["rollup"].dropna().astype(str))
    leaves = [p for p in ids if p not in parents]
    def expand(pid: str) -> list[str]:  # a roll-up period means its child periods
        return [c for c in leaves if _rollup_of(periods, c) == pid] or [pid]

    if period:
        if period not in status:
            raise UsageError(f"没有名为 {period} 的期间。可用期间：{'、'.join(ids)}",
                             f"There is no period {period}. Periods: {', '.join(ids)}")
        wanted = expand(period)
    elif all_periods:
        wanted = leaves
    elif inputs.settings.current_period:
        wanted = expand(inputs.settings.current_period)
    else:
        wanted = leaves
    chosen = [p for p in wanted if force or status.get(p, "open") != "closed"]
    kept = [p for p in wanted if p not in chosen]
    if not chosen:
        # Said for both doors: the ribbon has no --force, the sheet's status column is the way there.
        raise UsageError(
            f"期间 {'、'.join(kept)} 已关闭，未重算。如确需重算：在“考核期间”表中把它的状态改为"
            f"“{PERIOD_STATUSES.word('open', 'zh')}”后再重算（命令行也可加 --force）。",
            f"Period(s) {', '.join(kept)} are closed and were not recomputed. To recompute them, set their status "
            "to open on the Periods sheet and recompute (or add --force on the command line).")
    return chosen, kept


def _rollup_of(periods: pd.DataFrame, pid: str) -> str | None:
    hit = periods.loc[periods["period_id"].astype(str) == pid, "rollup"]
    return None if hit.empty or pd.isna(hit.iloc[0]) else str(hit.iloc[0])


# Input tables whose raw cells a recompute drops once validated and fingerprinted: the only big ones.
# (The dimensions table stays: previous results are matched to it by name.)
_RELEASED = ("observations", "ratings")


def run_recompute(engine: BookEngine, *, period: str | None = None, all_periods: bool = False,
                  force: bool = False, lang: str | None = None) -> RecomputeSummary:
    """Validate, stop on errors, compute the chosen periods, merge with kept rows, write atomically."""
    from .engine import compute

    started = time.perf_counter()
    # Inputs and the (small) run log first; last run's results only when some period keeps its rows.
    raw = engine.read_tables([*TABLES_BY_NAME, out.runlog.name])
    lang = book_lang(raw, lang)
    inputs, report = validate_raw(raw, lang)
    if inputs is None:
        raise ValidationFailed(report)
    chosen, kept = choose_periods(inputs, period=period, all_periods=all_periods, force=force, lang=lang)
    check_closed_calibrations(engine, raw, inputs, report, lang)
    # The raw cells of the big input tables are not needed past this point: fingerprint them now and
    # let them go before the engine runs (a million monitoring rows are ~1 GB of Python objects).
    input_fingerprint = fingerprint(raw)
    for name in _RELEASED:
        raw.tables.pop(name, None)
    results = compute(inputs, chosen)
    computed = set(results.results["period_id"].astype(str)) | set(results.periods)
    if set(inputs.tables["periods"]["period_id"].astype(str)) - computed:
        previous = engine.read_tables([out.results.name, out.scores.name, out.warnings.name])
        raw.tables.update({k: v for k, v in previous.tables.items() if k.startswith("xp_")})
    blocks = result_blocks(results, raw, lang, low_score=inputs.settings.warn_score)
    duration = time.perf_counter() - started
    res = results.results
    grade_counts = {str(k): int(v) for k, v in res["grade"].dropna().value_counts().sort_index().items()} \
        if len(res) else {}
    summary = RecomputeSummary(
        periods=list(results.periods or chosen), kept_closed=kept, subjects=len(res),
        score_rows=len(results.scores), warnings=len(results.warnings),
        findings=len(report), duration_s=duration, grade_counts=grade_counts, lang=lang, results=results,
        row_notes=row_notes(report))
    blocks.append(runlog_block(raw, summary, lang, "recompute", input_fingerprint))
    engine.write(blocks)
    return summary


def result_blocks(results: Results, raw: RawBook, lang: str, *, low_score: float | None = None) -> list[OutputBlock]:
    """Results, scores and warnings as output blocks, merged with the rows of periods not recomputed.

    The blocks are in the workbook's language (words, not codes); warnings one row per subject and period."""
    from .sheetwords import frame_words, merge_warnings

    computed = set(results.results["period_id"].astype(str)) | set(results.periods)
    blocks = []
    for table, frame in ((out.results, results.results), (out.scores, results.scores),
                         (out.warnings, results.warnings)):
        previous = previous_rows(raw, table.name)
        if previous is not None and len(previous):
            keep = previous.loc[~previous["period_id"].astype(str).isin(computed)]
            if len(keep):
                frame = pd.concat([keep.reindex(columns=frame.columns), frame], ignore_index=True)
                frame = frame.sort_values(["period_id"], kind="stable").reset_index(drop=True)
        frame = merge_warnings(frame, lang) if table is out.warnings else frame_words(frame, table.name, lang)
        blocks.append(OutputBlock(table, frame, lang, low_score=low_score))
    return blocks


def previous_rows(raw: RawBook, table_name: str) -> pd.DataFrame | None:
    """Rows xlperf wrote last time (read back as field-key columns, with codes, not the sheet's words;
    warnings one row each again), or None."""
    table = raw.tables.get(table_name)
    if table is None:
        return None
    spec = out.OUTPUTS_BY_NAME[table_name]
    header_map = spec.header_map()
    from .contract import normalise_header

    # Dimension columns of the results sheet are headed by the dimension's own name.
    dims = set()
    if table_name == out.results.name and "dimensions" in raw.tables and raw.tables["dimensions"].data.shape[1]:
        dims = {str(v).strip() for v in raw.tables["dimensions"].data.iloc[:, 0].dropna()}
    names = []
    for h in table.headers:
        key = header_map.get(normalise_header(h))
        if key is None and str(h).startswith("dim:"):
            key = str(h)
        elif key is None and str(h).strip() in dims:
            key = f"dim:{str(h).strip()}"
        names.append(key or f"_extra_{h}")
    frame = table.data.copy()
    frame.columns = names
    from .sheetwords import frame_keys, split_warnings

    return split_warnings(frame) if table_name == out.warnings.name else frame_keys(frame, table_name)


def runlog_block(raw: RawBook, summary: RecomputeSummary, lang: str, command: str,
                 input_fingerprint: str) -> OutputBlock:
    row = {
        "time": datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
        "command": command,
        "periods": ",".join(summary.periods),
        "fingerprint": input_fingerprint,  # taken before the big input tables were let go
        "subjects": summary.subjects,
        "scores": summary.score_rows,
        "warnings": summary.warnings,
        "findings": summary.findings,
        "duration_s": round(summary.duration_s, 2),
        "version": __version__,
    }
    previous = previous_rows(raw, out.runlog.name)
    frame = pd.DataFrame([row], columns=list(out.runlog.keys))
    if previous is not None and len(previous):
        frame = pd.concat([previous.reindex(columns=frame.columns).tail(999), frame], ignore_index=True)
    from .sheetwords import frame_words

    return OutputBlock(out.runlog, frame_words(frame, out.runlog.name, lang), lang)


def fingerprint(raw: RawBook) -> str:
    """A short hash of every input table's values: two runs on the same inputs share it.

    Per column: the distinct values (in order of first appearance, each as a canonical text), then
    every row's code among them as the narrowest integer. One ``factorize`` per column is the whole
    cost (hashing a million cells one by one is what made this slow); the result depends only on the
    values, so the file and the live reader, which yield equal values, give the same fingerprint.
    """
    import json
    from datetime import date
    from datetime import time as clock

    import numpy as np

    def canonical(value: object) -> str:  # one text per value, equal for equal cells whatever their type
        if isinstance(value, str):
            return "s" + value
        if isinstance(value, (bool, np.bool_)):
            return f"b{bool(value)}"
        if isinstance(value, (int, float, np.integer, np.floating)):
            number = float(value)
            return f"n{number!r}" if number == value else f"n{value!r}"  # 3 and 3.0 alike, big ints exact
        if isinstance(value, (date, clock)):  # datetime (and pandas Timestamp) included
            return f"d{value.isoformat()}"
        return f"{type(value).__name__}:{value!r}"  # CellError and anything else, by its repr

    digest = hashlib.sha256()
    for name in sorted(raw.tables):
        if name not in TABLES_BY_NAME:
            continue
        table = raw.tables[name]
        digest.update(name.encode())
        digest.update(repr(table.headers).encode())
        for j in range(table.data.shape[1]):
            column = table.data.iloc[:, j].to_numpy(dtype=object)
            try:  # blanks (None, NaN) get code -1
                codes, uniques = pd.factorize(column, use_na_sentinel=True)
            except TypeError:  # values pandas cannot hash as they are: by their text
                codes, uniques = pd.factorize(column.astype(str), use_na_sentinel=True)
            texts = json.dumps([canonical(u) for u in uniques]).encode()
            k = len(uniques)
            width = np.int8 if k < 2**7 - 1 else np.int16 if k < 2**15 - 1 else np.int32 if k < 2**31 - 1 else np.int64
            digest.update(f"|{j}|{len(texts)}|{k}|{len(codes)}|".encode())
            digest.update(texts)
            digest.update(np.asarray(codes, dtype=width).tobytes())
    return digest.hexdigest()[:16]


def check_closed_calibrations(engine: BookEngine, raw: RawBook, inputs: Inputs, report: Report, lang: str) -> None:
    """Stop (like any input error) when a calibration of a closed period differs from its locked grade."""
    from .validation.checks.scenarios import closed_period_findings

    cal, periods = inputs.tables.get("calibrations"), inputs.tables["periods"]
    if cal is None or cal.empty:
        return
    closed = set(periods.loc[periods["status"].astype(object) == "closed", "period_id"].astype(str))
    if not closed & set(cal["period_id"].astype(str)):
        return
    stored = previous_rows(engine.read_tables([out.results.name]), out.results.name)
    found = closed_period_findings(raw, cal, periods, stored, lang)
    if found:
        report.extend(found)
        raise ValidationFailed(report)
