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

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

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
# Both directions work on Arrow arrays: a big book has 232 000 warnings, and Arrow's string kernels
# (take, join, split, regex) do per column what Python would do per warning.
IntArray = npt.NDArray[np.int64]


def _arrow_text(frame: pd.DataFrame, column: str) -> pa.Array:
    """A column as an Arrow string array, blanks as ''."""
    if column not in frame.columns:
        return pa.array(np.full(len(frame), "", dtype=object), pa.string())
    try:
        arr = pa.array(frame[column], from_pandas=True)
        if not pa.types.is_string(arr.type):
            arr = pc.cast(arr, pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):  # mixed cell types
        arr = pa.array(_texts(frame[column]), pa.string())
    return pc.fill_null(arr, "")


def _codes(arr: pa.Array) -> tuple[IntArray, list[str]]:
    """(each value's code, the distinct values): codes in order of first appearance."""
    enc = pc.dictionary_encode(arr)
    return (np.asarray(enc.indices.to_numpy(zero_copy_only=False), dtype=np.int64),
            [str(v) for v in enc.dictionary.to_pylist()])


def _by_code(codes: IntArray, table: Sequence[object], dtype: type = np.int64) -> npt.NDArray:  # type: ignore[type-arg]
    return np.asarray(table, dtype=dtype)[codes] if len(codes) else np.zeros(0, dtype=dtype)


def _sorted_rank(arr: pa.Array) -> IntArray:
    """Each value's rank in sorted order (equal values, equal rank)."""
    return np.asarray(pc.rank(arr, sort_keys="ascending", tiebreaker="dense").to_numpy(zero_copy_only=False),
                      dtype=np.int64)


def _join(pieces: pa.Array, starts: IntArray, n: int, sep: str) -> pa.Array:
    """Join ``pieces[starts[g]:starts[g+1]]`` per group g (pieces in group order) in one Arrow call."""
    offsets = pa.array(np.append(starts, n).astype(np.int32), pa.int32())
    return pc.binary_join(pa.ListArray.from_arrays(offsets, pieces), sep)


def _blank_to_null(arr: pa.Array) -> pa.Array:
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)


def merge_warnings(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per subject and period: rank, rules, count and every message (a line each), ranked.

    Rows are ordered by period, then most urgent first (严重 before 警告 before 提示), then vendor and
    worker; within a row the lines are ordered the same way, then by rule."""
    columns = [f.key for f in OUTPUTS_BY_NAME["xp_warnings"].fields]
    n = len(frame)
    if n == 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    subject = [_arrow_text(frame, c) for c in SUBJECT_KEYS]
    codes = [_codes(a)[0] for a in subject]
    rule_c, rules_u = _codes(_arrow_text(frame, "rule"))
    sev_c, sevs_u = _codes(_arrow_text(frame, "severity"))
    # a known rule's severity is its own; an unknown one keeps what it was given
    given = _by_code(sev_c, sevs_u, object)
    own = _by_code(rule_c, [RULE_SEVERITY.get(r, "") for r in rules_u], object)
    severity = np.where(own == "", given, own)
    sev_rank = _rank_of(severity)
    rule_order = {k: i for i, k in enumerate(WARNING_RULES)}
    rule_rank = _by_code(rule_c, [rule_order.get(r, len(rule_order)) for r in rules_u])
    order = np.lexsort((np.arange(n), rule_rank, sev_rank, *reversed(codes)))
    keyed = np.stack([c[order] for c in codes])
    new = np.ones(n, dtype=bool)
    new[1:] = (keyed[:, 1:] != keyed[:, :-1]).any(axis=0)

    # the lines, most urgent first: 【rule·indicator】message
    take = pa.array(order, pa.int64())
    rule_word = pa.array([WARNING_RULES.word(r, lang) for r in rules_u], pa.string()).take(pa.array(rule_c[order]))
    ind = _arrow_text(frame, "indicator_id").take(take)
    tag = pc.if_else(pc.equal(ind, ""), rule_word, pc.binary_join_element_wise(rule_word, ind, LINE_TAG_SEP))
    lines = pc.binary_join_element_wise(LINE_OPEN, tag, LINE_CLOSE, _arrow_text(frame, "message").take(take), "")
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

    # the rules of each row, each once, in rank order (equal rules are adjacent within a row)
    ranked_rule = rule_c[order]
    first_of_run = new.copy()
    first_of_run[1:] |= ranked_rule[1:] != ranked_rule[:-1]
    at = np.flatnonzero(first_of_run)
    sep = LIST_SEP if lang == "zh" else ", "
    rules = _join(rule_word.take(pa.array(at)), np.searchsorted(gid[at], np.arange(groups)), len(at), sep)
    # the indicators of each row, each once, in the order of its lines
    ind_c, _ = _codes(ind)
    named = np.flatnonzero(pc.not_equal(ind, "").to_numpy(zero_copy_only=False))
    if len(named):
        key = gid[named] * (int(ind_c.max()) + 1) + ind_c[named]
        _, first = np.unique(key, return_index=True)
        named = np.sort(named[first])
    indicators = _join(ind.take(pa.array(named, pa.int64())), np.searchsorted(gid[named], np.arange(groups)),
                       len(named), sep)

    first_row = order[starts]
    at_first = pa.array(first_row, pa.int64())
    level_c, levels_u = _codes(subject[1])
    level_order = {k: i for i, k in enumerate(LEVELS)}
    rows = np.lexsort((np.arange(groups),
                       _sorted_rank(subject[3])[first_row],
                       _by_code(level_c, [level_order.get(v, len(level_order)) for v in levels_u])[first_row],
                       _sorted_rank(subject[2])[first_row],
                       sev_rank[first_row],
                       _sorted_rank(subject[0])[first_row]))
    top_c, tops_u = _codes(pa.array(severity[first_row].tolist(), pa.string()))
    table = pa.table({
        "period_id": subject[0].take(at_first),
        "level": pa.array([LEVELS.word(v, lang) for v in levels_u], pa.string()).take(pa.array(level_c[first_row])),
        "vendor_id": subject[2].take(at_first),
        "worker_id": _blank_to_null(subject[3].take(at_first)),
        "severity": pa.array([SEVERITIES.word(v, lang) for v in tops_u], pa.string()).take(pa.array(top_c)),
        "rule": rules,
        "count": pa.array(np.diff(np.append(starts, n)), pa.int64()),
        "message": _join(lines, starts, n, "\n"),
        "indicator_id": _blank_to_null(indicators),
    }).take(pa.array(rows, pa.int64()))
    out: pd.DataFrame = table.to_pandas()
    return out[columns]


def _rank_of(severity: ObjArray) -> IntArray:
    c, u = pd.factorize(severity)
    return _by_code(np.asarray(c, dtype=np.int64), [SEVERITY_RANK.get(str(v), len(SEVERITY_RANK)) for v in u])


def split_warnings(frame: pd.DataFrame) -> pd.DataFrame:
    """The 预警 sheet read back → one row per warning with codes (what the engine gave and exports give).

    A sheet written before warnings were merged (one warning a row, no 条数 column) reads as it is."""
    frame = frame_keys(frame, "xp_warnings")
    present = [c for c in WARNING_KEYS if c in frame.columns]
    if "count" not in frame.columns or not frame["count"].notna().any() or not len(frame):
        return frame.loc[:, present].reset_index(drop=True)
    frame = frame.reset_index(drop=True)
    lists = pc.split_pattern(_arrow_text(frame, "message"), "\n" + LINE_OPEN)
    pieces = pc.list_flatten(lists)
    parent = np.asarray(pc.list_parent_indices(lists).to_numpy(zero_copy_only=False), dtype=np.int64)
    starts = np.asarray(lists.offsets.to_numpy(zero_copy_only=False), dtype=np.int64)[:-1]
    later = (np.arange(len(pieces)) - starts[parent]) > 0
    pieces = pc.if_else(pa.array(later), pc.binary_join_element_wise(LINE_OPEN, pieces, ""), pieces)
    parsed = pc.extract_regex(pieces, rf"(?s)^{LINE_OPEN}(?P<rule>[^{LINE_TAG_SEP}{LINE_CLOSE}]*)"
                                      rf"(?:{LINE_TAG_SEP}(?P<ind>[^{LINE_CLOSE}]*))?{LINE_CLOSE}(?P<msg>.*)$")
    rule_words = pc.fill_null(pc.struct_field(parsed, "rule"), "")
    back = readings(WARNING_RULES)
    rw_c, rw_u = _codes(rule_words)
    rule_key = _by_code(rw_c, [back.get(w, "") for w in rw_u], object)
    hit = rule_key != ""
    messages = np.asarray(pieces.to_numpy(zero_copy_only=False), dtype=object)
    shown = np.where(hit, np.asarray(pc.fill_null(pc.struct_field(parsed, "msg"), "").to_numpy(zero_copy_only=False),
                                     dtype=object), messages)
    ind = np.where(hit, np.asarray(pc.fill_null(pc.struct_field(parsed, "ind"), "").to_numpy(zero_copy_only=False),
                                   dtype=object), _texts(frame["indicator_id"])[parent] if "indicator_id" in frame else "")
    rule = np.where(hit, rule_key, _texts(frame["rule"])[parent] if "rule" in frame else "")
    keep = np.ones(len(messages), dtype=bool)
    for i in np.flatnonzero(later & ~hit)[::-1]:  # a message's own "\n【…" (rare): back onto its line
        j = i - 1
        shown[j] = f"{shown[j]}\n{messages[i]}"
        keep[i] = False
    sev = pd.Series(rule, dtype=object).map(RULE_SEVERITY)
    given = _texts(frame["severity"])[parent] if "severity" in frame else np.full(len(rule), "", dtype=object)
    out = pd.DataFrame({c: frame[c].to_numpy(dtype=object)[parent] for c in SUBJECT_KEYS if c in frame.columns})
    out["indicator_id"] = ind
    out["rule"] = rule
    out["severity"] = np.where(sev.notna(), sev.to_numpy(dtype=object), given)
    out["message"] = shown
    out = out.loc[keep].reset_index(drop=True)
    return out.loc[:, [c for c in WARNING_KEYS if c in out.columns]]
