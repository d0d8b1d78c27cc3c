"""The period calendar: order, roll-ups, the previous period, and which indicators apply when.

Periods are ordered by end date, then depth (a month before the quarter that ends with it), then id:
2026-01, 2026-02, 2026-03, 2026-Q1, 2026-04 … A period's depth is 0 for a leaf (a month), 1 for a
roll-up of leaves (a quarter), 2 for a roll-up of roll-ups (a year). "Previous period" compares like
with like: the latest period of the same depth that starts earlier.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

Stamp = Any  # pd.Timestamp or pd.NaT (the stubs type them apart)


@dataclass
class Calendar:
    order: list[str]
    start: dict[str, Stamp]
    end: dict[str, Stamp]
    parent: dict[str, str]
    children: dict[str, list[str]] = field(default_factory=dict)
    depth: dict[str, int] = field(default_factory=dict)

    @classmethod
    def build(cls, periods: pd.DataFrame, extra_ids: list[str] | None = None) -> Calendar:
        """From the periods table, plus ids seen in data but missing from it (ordered by id, last)."""
        ids = [str(p) for p in periods["period_id"]] if len(periods) else []
        start: dict[str, Stamp] = dict(zip(ids, pd.to_datetime(periods["start"]) if len(periods) else []))
        end: dict[str, Stamp] = dict(zip(ids, pd.to_datetime(periods["end"]) if len(periods) else []))
        parent: dict[str, str] = {}
        if len(periods) and "rollup" in periods:
            for pid, up in zip(ids, periods["rollup"]):
                if isinstance(up, str) and up and up != pid:
                    parent[pid] = up
        for pid in extra_ids or []:
            if pid not in start:
                ids.append(pid)
                start[pid] = pd.NaT
                end[pid] = pd.NaT
        for up in parent.values():
            if up not in start:
                ids.append(up)
                start[up] = pd.NaT
                end[up] = pd.NaT
        children: dict[str, list[str]] = {}
        for child, up in parent.items():
            children.setdefault(up, []).append(child)
        depth = {pid: _depth(pid, children, set()) for pid in ids}
        # a roll-up without its own dates spans its children
        for pid in ids:
            kids = children.get(pid, [])
            if pd.isna(start[pid]) and kids:
                start[pid] = min((start[k] for k in kids if not pd.isna(start[k])), default=pd.NaT)
                end[pid] = max((end[k] for k in kids if not pd.isna(end[k])), default=pd.NaT)
        far = pd.Timestamp.max
        order = sorted(ids, key=lambda p: (far if pd.isna(end[p]) else end[p], depth[p], p))
        for kids in children.values():
            kids.sort(key=order.index)
        return cls(order, start, end, parent, children, depth)

    def rank(self, period_ids: pd.Series) -> npt.NDArray[np.int64]:
        """Sort position of each period id (for ordering frames)."""
        pos = {p: i for i, p in enumerate(self.order)}
        return np.asarray(period_ids.map(pos).fillna(len(pos)).to_numpy(), dtype=np.int64)

    def previous(self, pid: str) -> str | None:
        same = [p for p in self.order if self.depth[p] == self.depth[pid]]
        i = same.index(pid)
        return same[i - 1] if i > 0 else None

    def ancestors(self, pid: str) -> list[str]:
        out: list[str] = []
        seen = {pid}
        while pid in self.parent and self.parent[pid] not in seen:
            pid = self.parent[pid]
            seen.add(pid)
            out.append(pid)
        return out

    def leaves_under(self, pid: str) -> list[str]:
        kids = self.children.get(pid, [])
        if not kids:
            return [pid]
        return [leaf for k in kids for leaf in self.leaves_under(k)]

    def effective(self, indicators: pd.DataFrame, pid: str) -> npt.NDArray[np.bool_]:
        """Which indicators apply in period ``pid``: effective_from ≤ pid ≤ effective_to, by dates.

        A period is inside when it starts on or after effective_from's start and on or before
        effective_to's end; unknown dates fall back to comparing ids as text (2026-01 < 2026-02).
        """
        n = len(indicators)
        ok = np.ones(n, dtype=bool)
        p_start = self.start.get(pid, pd.NaT)
        for col, is_from in (("effective_from", True), ("effective_to", False)):
            if col not in indicators:
                continue
            bounds = indicators[col].to_numpy(dtype=object)
            for i, b in enumerate(bounds):
                if not isinstance(b, str) or not b:
                    continue
                b_date = self.start.get(b, pd.NaT) if is_from else self.end.get(b, pd.NaT)
                if pd.isna(b_date) or pd.isna(p_start):
                    ok[i] &= (pid >= b) if is_from else (pid <= b)
                else:
                    ok[i] &= (p_start >= b_date) if is_from else (p_start <= b_date)
        return ok


def _depth(pid: str, children: dict[str, list[str]], seen: set[str]) -> int:
    if pid in seen:  # a cycle (validation reports it); stop rather than recurse forever
        return 0
    kids = children.get(pid, [])
    if not kids:
        return 0
    return 1 + max(_depth(k, children, seen | {pid}) for k in kids)
