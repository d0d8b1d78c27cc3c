"""Monitoring data pulled from where it lives (issue 16): files, Parquet and SQL databases.

Each enabled row of the ``sources`` table (数据来源配置) is grouped per period, subject and indicator
*where the data is* — DuckDB for csv/excel/parquet files, the database's own GROUP BY for sql — so that
only partial aggregates travel. They become rows of 监控记录 marked with their source (``pulled_from``)
and the number of raw records they stand for (``count``); the engine combines them with HR's rows so
every aggregation gives the period value the raw records would have given, typed row by row.

    config.py    the sources table → SourceSpec (checked, with the row each came from)
    windows.py   the leaf periods a pull fills, as half-open date windows
    partials.py  the partial-aggregate frame every kind returns, and its rows for 监控记录
    files.py     csv / excel / parquet through DuckDB
    sql.py       SQLAlchemy: the database groups
    merge.py     the new 监控记录: HR's rows kept, this pull's rows replaced
    job.py       run_pull: read → validate → pull every source → check → write once
"""
