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


def duckdb_sql(cols: dict[str, str | None], wins: list[Window], filter_sql: str, *, typed_dates: bool,
               typed_values: bool = False, with_last: bool = True) -> str:
    """Partial aggregates per (p, v, w, i) of ``src``; ``cols`` maps d/v/w/i/x to source columns (None: absent).

    Text that is not a number or a date is counted per group (``bad``, ``bad_date``) with an example,
    so a bad record is named without a second scan; typed columns (Parquet's DOUBLE, TIMESTAMP) skip
    that text work, which would otherwise cost more than the grouping.
    """
    def text(key: str) -> str:
        c = cols.get(key)
        return f"CAST({quote(c)} AS VARCHAR)" if c else "NULL::VARCHAR"

    x_col, d_col = cols.get("x"), cols.get("d") or ""
    x_raw = quote(x_col) if x_col else "1"
    d_raw = quote(d_col)
    typed_values = typed_values or not x_col
    d = f"CAST({d_raw} AS TIMESTAMP)" if typed_dates else f"TRY_CAST({d_raw} AS TIMESTAMP)"
    x = f"CAST({x_raw} AS DOUBLE)" if typed_values else f"TRY_CAST({x_raw} AS DOUBLE)"
    d_text = "NULL::VARCHAR" if typed_dates else f"CAST({d_raw} AS VARCHAR)"
    x_text = "NULL::VARCHAR" if typed_values else f"CAST({x_raw} AS VARCHAR)"
    # the latest record's value (a tie of timestamps: the largest value), only when an indicator needs it:
    # ordering by a (timestamp, value) pair costs as much as the rest of the grouping
    last = ("arg_max(x, struct_pack(d := d, x := x)) FILTER (WHERE x IS NOT NULL)" if with_last
            else "NULL::DOUBLE")
    case = " ".join(f"WHEN d >= DATE {literal(w.start.isoformat())} AND d < DATE {literal(w.stop.isoformat())} "
                    f"THEN {literal(w.period_id)}" for w in wins)
    lo, hi = min(w.start for w in wins).isoformat(), max(w.stop for w in wins).isoformat()
    where = f"WHERE ({filter_sql})" if filter_sql else ""
    bad = ("0 AS bad, NULL::VARCHAR AS bad_example" if typed_values else
           "count(*) FILTER (WHERE x IS NULL AND x_text IS NOT NULL) AS bad, "
           "any_value(x_text) FILTER (WHERE x IS NULL AND x_text IS NOT NULL) AS bad_example")
    bad_date = ("0 AS bad_date, NULL::VARCHAR AS bad_date_example" if typed_dates else
                "count(*) FILTER (WHERE d IS NULL AND d_text IS NOT NULL) AS bad_date, "
                "any_value(d_text) FILTER (WHERE d IS NULL AND d_text IS NOT NULL) AS bad_date_example")
    return f"""
WITH raw AS (
  SELECT {d} AS d, {d_text} AS d_text, {text('v')} AS v, {text('w')} AS w, {text('i')} AS i,
         {x} AS x, {x_text} AS x_text
  FROM src {where}
), r AS (
  SELECT *, CASE {case} END AS p FROM raw
  WHERE (d >= DATE {literal(lo)} AND d < DATE {literal(hi)}) OR (d IS NULL AND d_text IS NOT NULL)
)
SELECT p, v, w, i, count(*) AS nrec, count(x) AS n, sum(x) AS s, min(x) AS lo, max(x) AS hi, max(d) AS d,
       {last} AS last,
       {bad}, {bad_date}
FROM r GROUP BY p, v, w, i
"""
