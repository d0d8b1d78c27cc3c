"""Text columns as Arrow string arrays: element-wise concatenation, choice, and per-group joins.

Explanations are built from a handful of pieces per row over up to a million rows; Arrow's kernels
work on contiguous buffers in one pass each, where numpy's variable-width strings allocate per element
on every gather and concatenation.
"""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from .keys import IntArray

BoolArray = npt.NDArray[np.bool_]
Part: TypeAlias = "pa.Array | str"


def array_of(part: Part, n: int) -> pa.Array:
    return part if isinstance(part, pa.Array) else pa.array([part] * n, pa.string())


def cat(*parts: Part) -> Part:
    """Element-wise concatenation of string arrays and literals (a literal alone stays a literal)."""
    if all(isinstance(p, str) for p in parts):
        return "".join(str(p) for p in parts)
    out: pa.Array = pc.binary_join_element_wise(*parts, "")
    return out


def where(cond: BoolArray, yes: Part, no: Part) -> pa.Array:
    out: pa.Array = pc.if_else(pa.array(np.asarray(cond, dtype=bool)), yes, no)
    return out


def nonempty(text: pa.Array) -> BoolArray:
    out: BoolArray = np.asarray(pc.greater(pc.binary_length(text), 0).to_numpy(zero_copy_only=False), dtype=bool)
    return out


def join_per_group(subjects: IntArray, groups: IntArray, pieces: pa.Array, sep: str) -> pa.Array:
    """Each subject's pieces joined with ``sep`` in the given order ("" for a subject without any).

    ``subjects`` is sorted and holds every group; the pieces are joined over list offsets in one call.
    """
    g = np.asarray(groups, dtype=np.int64)
    n = len(g)
    if n == 0:
        return pa.array([""] * len(subjects), pa.string())
    if n > 1 and not bool((g[1:] >= g[:-1]).all()):
        order = np.argsort(g, kind="stable")
        g, pieces = g[order], pieces.take(order)
    new = np.empty(n, dtype=bool)
    new[0] = True
    np.not_equal(g[1:], g[:-1], out=new[1:])
    starts = np.flatnonzero(new)
    offsets = pa.array(np.append(starts, n).astype(np.int32))
    joined = pc.binary_join(pa.ListArray.from_arrays(offsets, pieces), sep)
    at = np.full(len(subjects), len(starts), dtype=np.int64)  # the trailing "" for subjects without pieces
    at[np.searchsorted(subjects, g[starts])] = np.arange(len(starts))
    out: pa.Array = pa.concat_arrays([joined, pa.array([""], pa.string())]).take(at)
    return out
