"""sql sources through SQLAlchemy: the database runs the GROUP BY, only the groups come back.

Works with any dialect SQLAlchemy has (SQLite, PostgreSQL, MySQL, SQL Server, Trino, Spark SQL...): the
query uses COUNT/SUM/MIN/MAX/CASE and one join (for ``last``), nothing dialect-specific. The password
comes from the environment variable ``secret_env`` names, never from the workbook.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from .config import SourceSpec
from .files import match_columns
from .partials import PARTIAL_COLUMNS
from .windows import Window


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    text = str(orig if orig is not None else exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _engine(spec: SourceSpec, base: Path | None) -> Any:
    import sqlalchemy as sa

    url = sa.engine.make_url(spec.location)
    password = spec.password()
    if password is not None:
        url = url.set(password=password)
    connect_args: dict[str, Any] = {}
    if url.get_backend_name() == "sqlite":
        db = url.database or ""
        if db and db != ":memory:" and not db.startswith("file:"):
            path = Path(db)
            if not path.is_absolute() and base is not None:
                path = base / path
            if not path.is_file():  # SQLite would quietly create an empty database
                raise spec.fail(f"找不到数据库文件：{path}", f"the database file {path} does not exist")
            url = url.set(database=str(path))
    elif url.get_backend_name() in ("postgresql", "mysql"):
        connect_args["connect_timeout"] = 10
    try:
        return sa.create_engine(url, connect_args=connect_args, poolclass=sa.pool.NullPool)
    except Exception as exc:  # an unknown dialect or a driver that is not installed
        raise spec.fail(f"无法使用连接串：{_first_line(exc)}", f"cannot use the URL: {_first_line(exc)}") from exc


def _source(spec: SourceSpec, columns: list[str] | None = None) -> Any:
    """The table or SELECT as a FROM clause named ``src``; with ``columns``, each quoted by the dialect."""
    import sqlalchemy as sa

    cols: list[Any] = [sa.column(c) for c in columns or []]
    q = spec.query.strip().rstrip(";")
    if q.split(None, 1)[0].lower() in ("select", "with"):
        return sa.text(q).columns(*cols).subquery("src")
    schema, _, name = q.rpartition(".")
    return sa.table(name, *cols, schema=schema or None).alias("src")


def _columns(conn: Any, src: Any) -> list[str]:
    import sqlalchemy as sa

    probe: Any = sa.select(sa.literal_column("*")).select_from(src).where(sa.false())
    return [str(k) for k in conn.execute(probe).keys()]  # noqa: SIM118 (a result's keys, not a dict)


def partial_selects(src: Any, cols: dict[str, str | None], wins: list[Window],
                    with_last: bool) -> tuple[Any, Any | None, list[str]]:
    """(the grouping SELECT, the latest-value SELECT or None, the key columns present among v/w/i)."""
    import sqlalchemy as sa

    d = src.c[cols["d"]]
    x = src.c[cols["x"]] if cols.get("x") else sa.literal_column("1")
    keys = [k for k in ("v", "w", "i") if cols.get(k)]
    p = sa.case(*[(sa.and_(d >= sa.literal(w.start, sa.Date), d < sa.literal(w.stop, sa.Date)),
                   sa.literal(w.period_id, sa.String)) for w in wins], else_=sa.null())
    lo, hi = min(w.start for w in wins), max(w.stop for w in wins)
    # ids as text, blank for NULL, so that groups join back on equality (NULL = NULL is not true)
    inner_sel = sa.select(p.label("p"), *[sa.func.coalesce(sa.cast(src.c[cols[k]], sa.String), "").label(k)
                                          for k in keys], x.label("x"), d.label("d")) \
        .select_from(src).where(sa.and_(d >= sa.literal(lo, sa.Date), d < sa.literal(hi, sa.Date)))
    r = inner_sel.subquery("r")
    group = [r.c.p, *[r.c[k] for k in keys]]
    agg = sa.select(*group, sa.func.count().label("nrec"), sa.func.count(r.c.x).label("n"),
                    sa.func.sum(r.c.x).label("s"), sa.func.min(r.c.x).label("lo"),
                    sa.func.max(r.c.x).label("hi"), sa.func.max(r.c.d).label("d")).group_by(*group)
    if not with_last:
        return agg, None, keys
    # the latest record's value: join back on the group's latest date (a tie: the largest value)
    a, r2 = agg.subquery("a"), inner_sel.subquery("r2")
    names = ("p", *keys)
    on = sa.and_(*[r2.c[k] == a.c[k] for k in names], r2.c.d == a.c.d)
    last = sa.select(*[a.c[k] for k in names], sa.func.max(r2.c.x).label("last")) \
        .select_from(r2.join(a, on)).group_by(*[a.c[k] for k in names])
    return agg, last, keys


def pull_sql(spec: SourceSpec, wins: list[Window], base: Path | None, with_last: bool) -> pd.DataFrame:
    """The partial aggregates of an sql source (PARTIAL_COLUMNS)."""
    import sqlalchemy as sa

    engine = _engine(spec, base)
    try:
        try:
            conn = engine.connect()
        except sa.exc.SQLAlchemyError as exc:
            raise spec.fail(f"无法连接数据库：{_first_line(exc)}", f"cannot connect to the database: {_first_line(exc)}") from exc
        with conn:
            try:
                available = _columns(conn, _source(spec))
            except sa.exc.SQLAlchemyError as exc:
                raise spec.fail(f"表或查询“{spec.query}”无法执行：{_first_line(exc)}",
                                f"the table or query {spec.query!r} failed: {_first_line(exc)}") from exc
            cols = match_columns(spec, available)
            src = _source(spec, available)
            agg, last, keys = partial_selects(src, cols, wins, with_last)
            try:
                frame = pd.DataFrame(conn.execute(agg).mappings().all())
                lasts = pd.DataFrame(conn.execute(last).mappings().all()) if last is not None else None
                bad, example = _not_numbers(conn, src, cols)
            except sa.exc.SQLAlchemyError as exc:
                raise spec.fail(f"汇总查询出错：{_first_line(exc)}", f"the grouping query failed: {_first_line(exc)}") from exc
    finally:
        engine.dispose()
    return _shape(frame, lasts, keys, bad, example)


def _not_numbers(conn: Any, src: Any, cols: dict[str, str | None]) -> tuple[int, str]:
    """SQLite keeps text in any column and sums it as 0: count such values (other databases type columns)."""
    import sqlalchemy as sa

    if conn.dialect.name != "sqlite" or not cols.get("x"):
        return 0, ""
    x = src.c[cols["x"]]
    bad = sa.and_(x.is_not(None), sa.func.typeof(x).not_in(["integer", "real"]))
    row = conn.execute(sa.select(sa.func.count(), sa.func.min(x)).select_from(src).where(bad)).one()
    return int(row[0] or 0), "" if row[1] is None else str(row[1])


def _shape(frame: pd.DataFrame, lasts: pd.DataFrame | None, keys: list[str], bad: int, example: str) -> pd.DataFrame:
    if frame.empty:
        frame = pd.DataFrame({c: [] for c in ("p", *keys, "nrec", "n", "s", "lo", "hi", "d")})
    if lasts is not None and len(lasts):
        frame = frame.merge(lasts, on=["p", *keys], how="left")
    for k in ("v", "w", "i"):
        if k not in frame:
            frame[k] = None
    if "last" not in frame:
        frame["last"] = float("nan")
    for c in ("nrec", "n"):
        frame[c] = pd.to_numeric(frame[c]).fillna(0).astype("int64")
    for c in ("s", "lo", "hi", "last"):
        frame[c] = pd.to_numeric(frame[c], errors="coerce").astype("float64")
    frame["bad"], frame["bad_example"] = 0, None
    frame["bad_date"], frame["bad_date_example"] = 0, None
    if bad and len(frame):
        frame.loc[frame.index[0], "bad"] = bad
        frame.loc[frame.index[0], "bad_example"] = example
    return frame[list(PARTIAL_COLUMNS)]
