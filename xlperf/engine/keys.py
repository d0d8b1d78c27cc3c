"""Integer keys for subjects and score rows, so a million rows group, join and sort as int64.

A subject is (period, level, vendor, worker). Its key packs the period's calendar position, the level
(vendor 0, worker 1), the vendor's and the worker's positions in sorted id order; sorting by the key
is therefore the output order (period, level, vendor, worker), and a row key ``sk·NI + indicator``
extends it to indicators. Text ids are looked up once per distinct value, then carried as integers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

IntArray = npt.NDArray[np.int64]
LEVELS = ("vendor", "worker")


@dataclass
class Keys:
    periods: list[str]  # calendar order
    vendors: list[str]  # sorted
    workers: list[str]  # sorted
    indicators: list[str]  # sorted

    @property
    def nv1(self) -> int:
        return len(self.vendors) + 1

    @property
    def nw1(self) -> int:
        return len(self.workers) + 1

    @property
    def ni(self) -> int:
        return max(len(self.indicators), 1)

    @staticmethod
    def code(values: pd.Series | npt.NDArray[np.object_], universe: list[str]) -> IntArray:
        """Position of each value in ``universe`` (-1 when absent or blank)."""
        # factorize first: a million rows hold a few thousand distinct ids, looked up once each
        codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=True)
        found = pd.Index(np.asarray(universe, dtype=object)).get_indexer(np.asarray(uniques, dtype=object))
        table = np.append(np.asarray(found, dtype=np.int64), -1)
        out: IntArray = table[np.where(codes >= 0, codes, len(uniques))]
        return out

    def subject(self, p: IntArray, lv: IntArray, v: IntArray, w: IntArray) -> IntArray:
        """Subject key; ``w`` = -1 for vendor-level subjects."""
        out: IntArray = ((p * 2 + lv) * self.nv1 + (v + 1)) * self.nw1 + (w + 1)
        return out

    def split(self, sk: IntArray) -> tuple[IntArray, IntArray, IntArray, IntArray]:
        w1 = sk % self.nw1
        rest = sk // self.nw1
        v1 = rest % self.nv1
        rest = rest // self.nv1
        return rest // 2, rest % 2, v1 - 1, w1 - 1

    def without_period(self, sk: IntArray) -> IntArray:
        """The subject across periods (level, vendor, worker), for comparing one period with another."""
        out: IntArray = sk % (2 * self.nv1 * self.nw1)
        return out

    def with_period(self, subject: IntArray, p: IntArray) -> IntArray:
        out: IntArray = p * (2 * self.nv1 * self.nw1) + subject
        return out

    def strings(self, sk: IntArray) -> pd.DataFrame:
        """period_id, level, vendor_id, worker_id (object columns) of subject keys."""
        p, lv, v, w = self.split(np.asarray(sk, dtype=np.int64))
        periods = np.asarray(self.periods + [""], dtype=object)
        vendors = np.asarray([""] + self.vendors, dtype=object)
        workers = np.asarray([""] + self.workers, dtype=object)
        cols = {
            "period_id": periods[np.where(p < len(self.periods), p, len(self.periods))],
            "level": np.asarray(LEVELS, dtype=object)[lv],
            "vendor_id": vendors[v + 1],
            "worker_id": workers[w + 1],
        }
        return pd.DataFrame({k: pd.Series(v, dtype=object) for k, v in cols.items()}, copy=False)  # fresh arrays


def group_join(groups: IntArray, pieces: npt.NDArray[Any], sep: str) -> tuple[IntArray, npt.NDArray[Any]]:
    """Join text pieces per group, in the given order, without a Python loop over groups.

    Returns (unique groups ascending, joined text). Loops over the position within the group instead
    (the largest group's size: a handful of dimensions or missing indicators), each round touching
    only the groups that still have a piece.
    """
    from .numbers import STR

    g = np.asarray(groups, dtype=np.int64)
    n = len(g)
    if n == 0:
        return g[:0], np.array([], dtype=STR)
    text = np.asarray(pieces)
    if n > 1 and not bool((g[1:] >= g[:-1]).all()):  # callers mostly pass rows already sorted by group
        order = np.argsort(g, kind="stable")
        g, text = g[order], text[order]
    if text.dtype != STR:
        text = text.astype(STR)
    new = np.empty(n, dtype=bool)
    new[0] = True
    np.not_equal(g[1:], g[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    counts = np.diff(np.append(starts, n))
    out = text[starts]
    live = np.arange(len(starts))
    for k in range(1, int(counts.max())):
        live = live[counts[live] > k]
        out[live] = np.strings.add(np.strings.add(out[live], sep), text[starts[live] + k])
    return g[starts], out
