"""Output sheets in the workbook's language, and the 预警 sheet a person can act on.

The engine's frames hold stable codes (``worker``, ``linear``, ``low_score``, ``error``) and so do the
CSV/JSON exports. A sheet a person reads shows words instead: ``frame_words`` translates the columns
``contract.output_words.OUTPUT_VOCABS`` names when a block is built, and ``frame_keys`` maps them back
when a sheet is read (a recompute keeping closed periods, ``xlperf export``). Both map each *distinct*
value once and take the result by code, so a column of 232 000 cells costs one dictionary lookup per
distinct value.

The 预警 sheet holds one row per subject and period (``merge_warnings``): its most urgent rank, the
rules it hit, how many warnings, and every message, one line each, most urgent first. Each line starts
with its rule (and indicator): ``【低分·W06】W06 改进建议 得分 50 低于预警线 60``, which is what lets
``split_warnings`` give the export its one row per warning back from the sheet.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from .contract import OUTPUTS_BY_NAME, TABLES_BY_NAME
from .contract.choices import LEVELS, YES_NO, Vocab
from .contract.output_words import (
    OUTPUT_VOCABS,
    RULE_SEVERITY,
    SEVERITIES,
    SEVERITY_RANK,
    WARNING_RULES,
    readings,
)
from .contract.schema import FieldType

# The engine's warning columns (one row per warning) and the order of the 预警 sheet's columns.
WARNING_KEYS = ("period_id", "level", "vendor_id", "worker_id", "indicator_id", "rule", "severity", "message")
SUBJECT_KEYS = ("period_id", "level", "vendor_id", "worker_id")
CELL_LIMIT = 30_000  # Excel holds 32 767 characters in a cell: a longer list of messages takes two rows
LIST_SEP = "、"
LINE_OPEN, LINE_TAG_SEP, LINE_CLOSE = "【", "·", "】"

ObjArray = npt.NDArray[np.object_]


def _texts(values: pd.Series | Sequence[object]) -> ObjArray:
    """Cell values as text: blanks (None, NaN) become ''. Per distinct value, then taken by code."""
    series = values if isinstance(values, pd.Series) else pd.Series(list(values), dtype=object)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    table = np.asarray([u if isinstance(u, str) else str(u) for u in uniques] + [""], dtype=object)
    return table[codes]


def words(values: pd.Series, vocab: Vocab, lang: str) -> pd.Series:
    """Codes → words in ``lang``; blanks stay blank, anything that is not a code stays as it is."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    table = np.asarray([vocab.word(u, lang) if isinstance(u, str) else u for u in uniques] + [None], dtype=object)
    return pd.Series(table[codes], index=values.index, dtype=object)


def keys(values: pd.Series, vocab: Vocab) -> pd.Series:
    """Words (either language, or aliases, or the codes themselves) → codes; other text stays as it is."""
    back = readings(vocab)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)

    def key(u: object) -> object:
        if not isinstance(u, str):
            return u
        s = u.strip()
        return back.get(s, back.get(s.lower(), u))

    table = np.asarray([key(u) for u in uniques] + [None], dtype=object)
    return pd.Series(table[codes], index=values.index, dtype=object)


def _bool_fields(table_name: str) -> list[str]:
    spec = OUTPUTS_BY_NAME.get(table_name)
    return [f.key for f in spec.fields if f.type == FieldType.BOOL] if spec is not None else []


def frame_words(frame: pd.DataFrame, table_name: str, lang: str) -> pd.DataFrame:
    """An output frame as its sheet shows it: coded columns in words, yes/no as 是/否 in a zh book."""
    out = frame.copy(deep=False)
    for key, vocab in OUTPUT_VOCABS.get(table_name, {}).items():
        if key in out.columns:
            out[key] = words(out[key], vocab, lang)
    if lang == "zh":
        yes, no = YES_NO.word("yes", lang), YES_NO.word("no", lang)
        for key in _bool_fields(table_name):
            if key in out.columns:
                col = out[key]
                is_bool = col.map(lambda v: isinstance(v, (bool, np.bool_))).to_numpy(dtype=bool)
                truth = col.map(lambda v: v is True or v is np.True_).to_numpy(dtype=bool)
                out[key] = np.where(is_bool, np.where(truth, yes, no), col.astype(object).to_numpy())
    return out


def frame_keys(frame: pd.DataFrame, table_name: str) -> pd.DataFrame:
    """A frame read back from an output sheet, with the codes the engine and the exports use."""
    out = frame.copy(deep=False)
    for key, vocab in OUTPUT_VOCABS.get(table_name, {}).items():
        if key in out.columns:
            out[key] = keys(out[key], vocab)
    for key in _bool_fields(table_name):
        if key in out.columns:
            flags = keys(out[key], YES_NO)
            out[key] = flags.map(lambda v: True if v == "yes" else False if v == "no" else v)
    return out


def finding_words(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The findings frame as 校验结果 shows it: severity in words, the table and field by their labels.

    The code column stays (a short, stable name to search the docs for)."""
    out = frame_words(frame, "xp_findings", lang)
    if "table" not in out.columns:
        return out
    tables = _texts(out["table"])
    fields = _texts(out["field"]) if "field" in out.columns else np.full(len(out), "", dtype=object)
    pairs = pd.DataFrame({"t": tables, "f": fields})
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(pairs))
    t_words, f_words = [], []
    for t, f in uniques:
        spec = TABLES_BY_NAME.get(t) or OUTPUTS_BY_NAME.get(t)
        t_words.append(spec.sheet_name(lang) if spec is not None else t)
        label = f
        if spec is not None:
            try:
                label = spec.field(f).label(lang)
            except KeyError:
                pass
        f_words.append(label)
    if len(uniques):
        out["table"] = np.asarray(t_words, dtype=object)[codes]
        if "field" in out.columns:
            out["field"] = np.asarray(f_words, dtype=object)[codes]
    return out


# --------------------------------------------------------------------------- the 预警 sheet
def _ranked(frame: pd.DataFrame) -> tuple[ObjArray, ObjArray, npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Each warning's rule and severity code, and their ranks (a known rule's severity is its own)."""
    rule = _texts(frame["rule"])
    given = _texts(frame["severity"])
    r_codes, r_uniques = pd.factorize(rule)
    sev_of = np.asarray([RULE_SEVERITY.get(r, "") for r in r_uniques], dtype=object)[r_codes] if len(rule) else given
    severity = np.where(sev_of == "", given, sev_of).astype(object)
    s_codes, s_uniques = pd.factorize(severity)
    sev_rank = np.asarray([SEVERITY_RANK.get(s, len(SEVERITY_RANK)) for s in s_uniques], dtype=np.int64)[s_codes] \
        if len(rule) else np.zeros(0, dtype=np.int64)
    order = {k: i for i, k in enumerate(WARNING_RULES)}
    rule_rank = np.asarray([order.get(r, len(order)) for r in r_uniques], dtype=np.int64)[r_codes] \
        if len(rule) else np.zeros(0, dtype=np.int64)
    return rule, severity, sev_rank, rule_rank


def _join(pieces: ObjArray, starts: npt.NDArray[np.int64], n: int, sep: str) -> ObjArray:
    """Join ``pieces[starts[g]:starts[g+1]]`` per group g (pieces in group order) in one Arrow call."""
    import pyarrow as pa
    import pyarrow.compute as pc

    offsets = pa.array(np.append(starts, n).astype(np.int32), pa.int32())
    lists = pa.ListArray.from_arrays(offsets, pa.array(pieces, pa.string()))
    return np.asarray(pc.binary_join(lists, sep).to_numpy(zero_copy_only=False), dtype=object)


def merge_warnings(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per subject and period: rank, rules, count and every message (a line each), ranked.

    Rows are ordered by period, then most urgent first (严重 before 警告 before 提示), then vendor and
    worker; within a row the lines are ordered the same way, then by rule."""
    import pyarrow as pa
    import pyarrow.compute as pc

    columns = [f.key for f in OUTPUTS_BY_NAME["xp_warnings"].fields]
    n = len(frame)
    if n == 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    subject = [_texts(frame[c]) if c in frame.columns else np.full(n, "", dtype=object) for c in SUBJECT_KEYS]
    codes = [pd.factorize(s)[0] for s in subject]
    rule, severity, sev_rank, rule_rank = _ranked(frame)
    indicator = _texts(frame["indicator_id"]) if "indicator_id" in frame.columns else np.full(n, "", dtype=object)
    message = _texts(frame["message"])
    order = np.lexsort((np.arange(n), rule_rank, sev_rank, *reversed(codes)))
    keyed = np.stack([c[order] for c in codes])
    new = np.ones(n, dtype=bool)
    new[1:] = (keyed[:, 1:] != keyed[:, :-1]).any(axis=0)

    # the lines, most urgent first: 【rule·indicator】message
    rule_word = words(pd.Series(rule[order]), WARNING_RULES, lang).to_numpy(dtype=object)
    ind = pa.array(indicator[order], pa.string())
    rw = pa.array(rule_word, pa.string())
    tag = pc.if_else(pc.equal(pc.utf8_length(ind), 0), rw, pc.binary_join_element_wise(rw, ind, LINE_TAG_SEP))
    lines = pc.binary_join_element_wise(LINE_OPEN, tag, LINE_CLOSE, pa.array(message[order], pa.string()), "")
    # a subject whose lines would overflow a cell continues on a second row
    length = np.asarray(pc.utf8_length(lines).to_numpy(zero_copy_only=False), dtype=np.int64) + 1
    total = np.cumsum(length)
    gid = np.cumsum(new) - 1
    base = np.concatenate(([0], total[np.flatnonzero(new)[1:] - 1]))[gid]
    part = (total - base - 1) // CELL_LIMIT
    new[1:] |= part[1:] != part[:-1]
    starts = np.flatnonzero(new)
    gid = np.cumsum(new) - 1
    groups = len(starts)
    text = np.asarray(lines.to_numpy(zero_copy_only=False), dtype=object)

    # the rules of each row, each once, in rank order (equal rules are adjacent within a row)
    ranked_rule = rule[order]
    first_of_run = new.copy()
    first_of_run[1:] |= ranked_rule[1:] != ranked_rule[:-1]
    at = np.flatnonzero(first_of_run)
    rule_starts = np.searchsorted(gid[at], np.arange(groups)).astype(np.int64)
    rules = _join(rule_word[at], rule_starts, len(at), LIST_SEP)
    # the indicators of each row, each once
    ind_s = pd.DataFrame({"g": gid, "i": indicator[order]})
    ind_s = ind_s[ind_s["i"] != ""].drop_duplicates()
    ind_starts = np.searchsorted(ind_s["g"].to_numpy(), np.arange(groups)).astype(np.int64)
    indicators = _join(ind_s["i"].to_numpy(dtype=object), ind_starts, len(ind_s), LIST_SEP)

    first = order[starts]
    top = severity[first]
    out = pd.DataFrame({
        "period_id": subject[0][first], "level": subject[1][first], "vendor_id": subject[2][first],
        "worker_id": subject[3][first],
        "severity": words(pd.Series(top), SEVERITIES, lang).to_numpy(dtype=object),
        "rule": rules, "count": np.diff(np.append(starts, n)).astype(np.int64),
        "message": _join(text, starts, n, "\n"), "indicator_id": indicators,
    })
    for blankable in ("worker_id", "indicator_id"):  # a vendor row has no worker, a row may name no indicator
        col = out[blankable].to_numpy(dtype=object)
        col[col == ""] = None
        out[blankable] = pd.Series(col, dtype="object")
    level_rank = {k: i for i, k in enumerate(LEVELS)}
    rows = np.lexsort((np.arange(groups),
                       pd.factorize(_texts(out["worker_id"]), sort=True)[0],
                       np.asarray([level_rank.get(v, len(level_rank)) for v in out["level"]], dtype=np.int64),
                       pd.factorize(_texts(out["vendor_id"]), sort=True)[0],
                       sev_rank[first],
                       pd.factorize(_texts(out["period_id"]), sort=True)[0]))
    out = out.iloc[rows].reset_index(drop=True)
    out["level"] = words(out["level"], LEVELS, lang)
    return out[columns]


def _line_pattern() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(where a new line starts, what a line holds) for rule words in either language."""
    spellings = sorted(readings(WARNING_RULES), key=len, reverse=True)
    alt = "|".join(re.escape(s) for s in spellings)
    starts = re.compile(rf"\n(?={re.escape(LINE_OPEN)}(?:{alt})(?:{re.escape(LINE_TAG_SEP)}|{re.escape(LINE_CLOSE)}))")
    line = re.compile(rf"^{re.escape(LINE_OPEN)}(?P<rule>{alt})(?:{re.escape(LINE_TAG_SEP)}(?P<ind>[^{LINE_CLOSE}]*))?"
                      rf"{re.escape(LINE_CLOSE)}(?P<msg>.*)$", re.DOTALL)
    return starts, line


def split_warnings(frame: pd.DataFrame) -> pd.DataFrame:
    """The 预警 sheet read back → one row per warning with codes (what the engine gave and exports give).

    A sheet written before warnings were merged (one warning a row, no 条数 column) reads as it is."""
    frame = frame_keys(frame, "xp_warnings")
    present = [c for c in WARNING_KEYS if c in frame.columns]
    if "count" not in frame.columns or not frame["count"].notna().any() or not len(frame):
        return frame.loc[:, present].reset_index(drop=True)
    starts, line = _line_pattern()
    message = pd.Series(_texts(frame["message"]), index=frame.index)
    pieces = message.str.split(starts.pattern, regex=True).explode()
    rows = frame.loc[pieces.index].reset_index(drop=True)
    pieces = pieces.reset_index(drop=True).astype(str)
    found = pieces.str.extract(line)
    hit = found["rule"].notna()
    out = pd.DataFrame({c: rows[c] for c in SUBJECT_KEYS if c in rows.columns})
    rule = keys(found["rule"], WARNING_RULES)
    out["indicator_id"] = np.where(hit, found["ind"].fillna("").to_numpy(dtype=object),
                                   _texts(rows["indicator_id"]) if "indicator_id" in rows else "")
    out["rule"] = np.where(hit, rule.to_numpy(dtype=object), _texts(rows["rule"]) if "rule" in rows else "")
    sev = out["rule"].map(RULE_SEVERITY)
    out["severity"] = sev.where(sev.notna(), rows.get("severity"))
    out["message"] = np.where(hit, found["msg"].to_numpy(dtype=object), pieces.to_numpy(dtype=object))
    return out.loc[:, [c for c in WARNING_KEYS if c in out.columns]]
