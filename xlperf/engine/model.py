"""The indicator table as the engine uses it (defaults filled in, one row per indicator), and text id
columns as the engine reads them (``text_col``; ``Coded`` when a column is needed more than once)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from .methods import UNWEIGHTED_METHODS

KEY = ["period_id", "level", "vendor_id", "worker_id"]  # one subject in one period (as text)

# Text columns the engine reads as str ("" for blank). Their contract defaults (direction, aggregation)
# are already in Inputs (``xlperf.inputs.with_defaults``): the engine keeps no defaults of its own.
_TEXT_COLS = ("direction", "aggregation", "name", "dimension", "unit", "tip", "band_set", "effective_from",
              "effective_to")
_NUM_COLS = ("weight", "floor", "target", "stretch", "cap", "per_unit", "scale", "warn_below")


def prepare_indicators(indicators: pd.DataFrame) -> pd.DataFrame:
    """Copy with every column the engine reads, typed (blank text as "", blank numbers NaN)."""
    ind = indicators.copy()
    for col in _TEXT_COLS:
        if col not in ind:
            ind[col] = ""
        ind[col] = ind[col].where(ind[col].notna() & (ind[col].astype(str) != ""), "").astype(str)
    for col in _NUM_COLS:
        if col not in ind:
            ind[col] = np.nan
        ind[col] = pd.to_numeric(ind[col], errors="coerce").astype(np.float64)
    ind["indicator_id"] = ind["indicator_id"].astype(str)
    ind["method"] = ind["method"].astype(str).str.strip().str.lower()
    ind["level"] = ind["level"].astype(str).str.strip().str.lower()
    ind["weighted_method"] = ~ind["method"].isin(UNWEIGHTED_METHODS)
    # adjust and veto indicators carry no weight, whatever the sheet says
    ind.loc[~ind["weighted_method"], "weight"] = 0.0
    ind["weight"] = ind["weight"].fillna(0.0)
    # sorted by id: an indicator's code is its row number here (see keys.py)
    ind = ind.drop_duplicates("indicator_id").sort_values("indicator_id", kind="stable").reset_index(drop=True)
    dims = list(dict.fromkeys(ind["dimension"]))
    ind["dcode"] = ind["dimension"].map({d: i for i, d in enumerate(dims)}).astype(np.int64)
    return ind


def obj(values: object, index: pd.Index | None = None) -> pd.Series:
    """Text as an object column. pandas 3 would otherwise infer its string dtype element by element,
    which costs more than the whole scoring of the column."""
    return pd.Series(np.asarray(values, dtype=object), index=index, dtype=object)


def text_col(frame: pd.DataFrame, col: str) -> pd.Series:
    """A text column with blanks (None/NaN/missing column) as ""."""
    if col not in frame:
        return pd.Series([""] * len(frame), index=frame.index, dtype=object)
    return pd.Series(Coded.of(frame, col).text(), index=frame.index, dtype=object)


@dataclass(frozen=True)
class Coded:
    """A text column factorized once: row i reads ``texts[codes[i]]``.

    Hashing a million object strings is the dearest step of a run, and the big tables' id columns
    are needed as text, as codes in several universes and as distinct-value sets: one factorize
    serves them all. ``texts`` ends with "" and blanks carry code -1, so they index it directly.
    """

    codes: npt.NDArray[np.intp]
    texts: npt.NDArray[np.object_]  # the distinct values as text (ids typed as numbers printed), then ""
    raw: npt.NDArray[np.object_]  # the distinct values as the sheet gave them (no blanks)

    @classmethod
    def of(cls, frame: pd.DataFrame, col: str) -> Coded:
        if col not in frame:
            return cls(np.full(len(frame), -1, dtype=np.intp), np.asarray([""], dtype=object),
                       np.asarray([], dtype=object))
        # factorize first: ids repeat, so str() runs once per distinct value, not once per row
        codes, uniques = pd.factorize(frame[col].to_numpy(dtype=object), use_na_sentinel=True)
        raw = np.asarray(uniques, dtype=object)
        uniq = raw
        if len(uniq) and pd.Index(uniq).inferred_type != "string":  # numbers typed as ids: print them once each
            uniq = np.asarray([_id_text(u) for u in uniq], dtype=object)
        return cls(np.asarray(codes, dtype=np.intp), np.append(uniq, "").astype(object), raw)

    def text(self) -> npt.NDArray[np.object_]:
        out: npt.NDArray[np.object_] = self.texts[self.codes]
        return out

    def code_in(self, universe: list[str]) -> npt.NDArray[np.int64]:
        """Each row's position in ``universe`` (-1 when absent), as ``Keys.code`` of the text gives it."""
        found = pd.Index(np.asarray(universe, dtype=object)).get_indexer(self.texts)
        out: npt.NDArray[np.int64] = np.asarray(found, dtype=np.int64)[self.codes]
        return out

    def distinct(self) -> set[str]:
        """The distinct non-blank values, each as ``str()`` prints it."""
        return {str(x) for x in self.raw}


class CodedTable:
    """A table's columns, each factorized on first use and then kept for the rest of the run."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self._cols: dict[str, Coded] = {}

    def __call__(self, col: str) -> Coded:
        if col not in self._cols:
            self._cols[col] = Coded.of(self.frame, col)
        return self._cols[col]


def _id_text(value: object) -> str:
    """An id typed as a number reads as Excel shows it: 1001.0 → '1001'."""
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
