"""The one aggregation every kind runs, written as SQL over a relation ``src`` (DuckDB's dialect).

The SQL databases get the same shape built with SQLAlchemy (sql.py); DuckDB gets it as text because it
runs in-process over files: the raw records are scanned once, in parallel, and only groups come back.
"""

from __future__ import annotations

from .windows import Window


def quote(name: str) -> str:
    """A DuckDB identifier, quoted (column names come from HR's configuration)."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def duckdb_sql(cols: dict[str, str | None], wins: list[Window], filter_sql: str, *, typed_dates: bool) -> str:
    """Partial aggregates per (p, v, w, i) of ``src``; ``cols`` maps d/v/w/i/x to source columns (None: absent).

    Text that is not a number or a date is counted per group (``bad``, ``bad_date``) with an example,
    so a bad record is named without a second scan.
    """
    def text(key: str) -> str:
        c = cols.get(key)
        return f"CAST({quote(c)} AS VARCHAR)" if c else "NULL::VARCHAR"

    x_col, d_col = cols.get("x"), cols.get("d") or ""
    x_raw = quote(x_col) if x_col else "1"
    d_raw = quote(d_col)
    d = f"{d_raw}::TIMESTAMP" if typed_dates else f"TRY_CAST({d_raw} AS TIMESTAMP)"
    case = " ".join(f"WHEN d >= DATE {literal(w.start.isoformat())} AND d < DATE {literal(w.stop.isoformat())} "
                    f"THEN {literal(w.period_id)}" for w in wins)
    lo, hi = min(w.start for w in wins).isoformat(), max(w.stop for w in wins).isoformat()
    where = f"WHERE ({filter_sql})" if filter_sql else ""
    return f"""
WITH raw AS (
  SELECT {d} AS d, CAST({d_raw} AS VARCHAR) AS d_text, {text('v')} AS v, {text('w')} AS w, {text('i')} AS i,
         TRY_CAST({x_raw} AS DOUBLE) AS x, CAST({x_raw} AS VARCHAR) AS x_text
  FROM src {where}
), r AS (
  SELECT *, CASE {case} END AS p FROM raw
  WHERE (d >= DATE {literal(lo)} AND d < DATE {literal(hi)}) OR (d IS NULL AND d_text IS NOT NULL)
)
SELECT p, v, w, i, count(*) AS nrec, count(x) AS n, sum(x) AS s, min(x) AS lo, max(x) AS hi, max(d) AS d,
       arg_max(x, struct_pack(d := d, x := x)) FILTER (WHERE x IS NOT NULL) AS last,
       count(*) FILTER (WHERE x IS NULL AND x_text IS NOT NULL) AS bad,
       any_value(x_text) FILTER (WHERE x IS NULL AND x_text IS NOT NULL) AS bad_example,
       count(*) FILTER (WHERE d IS NULL AND d_text IS NOT NULL) AS bad_date,
       any_value(d_text) FILTER (WHERE d IS NULL AND d_text IS NOT NULL) AS bad_date_example
FROM r GROUP BY p, v, w, i
"""
