"""run_pull: the job behind ``xlperf pull`` and the ribbon's 刷新监控数据.

    read → validate → choose periods → pull every source (each grouped where it lives) → check every
    source's ids → merge into 监控记录 → write once

Every source is pulled and checked before anything is written: one failing source stops the pull with
all the problems named, and the workbook stays as it was.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..book import BookEngine, book_lang
from ..contract import INPUT_TABLES
from ..errors import ValidationFailed, WriteError
from ..i18n import pick
from .config import SourceError, SourceSpec, parse_sources
from .partials import Pulled, aggregation_of, to_rows
from .windows import Window, windows


@dataclass
class PullSummary:
    sources: list[str]
    periods: list[str]
    rows: int  # rows written for the pulled sources
    records: int  # raw records they stand for
    replaced: int  # earlier pulled rows replaced
    duration_s: float
    notes: list[str] = field(default_factory=list)
    lang: str = "zh"

    def text(self, lang: str | None = None) -> str:
        lang = lang or self.lang
        notes = ("\n" + "\n".join(self.notes)) if self.notes else ""
        return pick(
            lang,
            f"已从 {len(self.sources)} 个数据来源（{'、'.join(self.sources)}）刷新期间 {'、'.join(self.periods)}："
            f"{self.records} 条原始记录汇总为 {self.rows} 行监控记录（替换了上次的 {self.replaced} 行），"
            f"手工录入的记录未改动。用时 {self.duration_s:.1f} 秒。请重算以更新得分。{notes}",
            f"Pulled {len(self.sources)} source(s) ({', '.join(self.sources)}) for period(s) "
            f"{', '.join(self.periods)}: {self.records} raw records became {self.rows} observation rows "
            f"(replacing {self.replaced} from the last pull); rows typed by hand were left as they were. "
            f"Took {self.duration_s:.1f} s. Recompute to update the scores.{notes}")


_BIG = ("observations", "ratings")


def pull_partials(spec: SourceSpec, wins: list[Window], base: Path | None, with_last: bool) -> Any:
    """One source's partial aggregates, grouped where the data lives."""
    if spec.kind == "sql":
        from .sql import pull_sql

        return pull_sql(spec, wins, base, with_last)
    from .files import pull_files

    return pull_files(spec, wins, base, with_last=with_last)


def _base(source: str) -> Path | None:
    path = Path(source) if source else None
    return path.parent if path is not None and path.is_file() else None


def run_pull(engine: BookEngine, *, source: str | None = None, period: str | None = None,
             lang: str | None = None) -> PullSummary:
    from ..jobs import choose_periods, validate_raw

    started = time.perf_counter()
    # neither the result sheets nor the ratings are needed (a book may lack ratings altogether)
    raw = engine.read_tables([t.name for t in INPUT_TABLES if t.name != "ratings"])
    lang = book_lang(raw, lang)
    # the configuration is validated, not HR's monitoring and rating rows: judging those is the
    # recompute's job, and at a million rows it would cost more than the pull itself
    light = replace(raw, tables={name: (replace(t, data=t.data.iloc[0:0]) if name in _BIG else t)
                                 for name, t in raw.tables.items()})
    inputs, report = validate_raw(light, lang)
    if inputs is None:
        raise ValidationFailed(report)
    chosen, _closed = choose_periods(inputs, period=period, all_periods=False, force=False, lang=lang)
    wins = windows(inputs.tables["periods"], chosen)
    specs = parse_sources(inputs.tables.get("sources"), only=source)
    ind = inputs.tables["indicators"]
    agg = aggregation_of(ind)
    base = _base(raw.source)
    pulled: list[Pulled] = []
    failed: list[SourceError] = []
    for spec in specs:
        with_last = (agg.get(spec.indicator_id) == "last") if spec.indicator_id else "last" in agg.values()
        try:
            parts = pull_partials(spec, wins, base, with_last)
            pulled.append(to_rows(spec, parts, ind, inputs.tables["workers"], inputs.tables["vendors"], lang))
        except SourceError as exc:
            failed.append(exc)
    if failed:
        raise SourceError("\n".join(e.zh for e in failed) + "\n未写入任何数据。",
                          "\n".join(e.en for e in failed) + "\nNothing was written.")
    from .merge import merged_observations

    merged = merged_observations(raw.tables.get("observations"), pulled, chosen)
    writer = getattr(engine, "replace_rows", None)
    if not callable(writer):
        raise WriteError("此工作簿引擎不能改写监控记录。", "This workbook engine cannot rewrite the Observations rows.")
    writer("observations", merged.rows, keep=merged.keep)
    replaced = merged.replaced
    return PullSummary([p.spec.source_id for p in pulled], chosen, sum(len(p.rows) for p in pulled),
                       sum(p.records for p in pulled), replaced, time.perf_counter() - started,
                       [n for p in pulled for n in p.notes], lang)
