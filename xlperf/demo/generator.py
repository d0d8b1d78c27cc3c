"""A realistic, seeded sample of every input table, generated with numpy in bulk.

Subjects have a latent performance: a worker's ability plus their vendor's quality plus a monthly trend
(a few weak vendors decline month on month, so drop alerts and low grades appear). Every indicator's
period value follows that performance around its target; records per subject and period are spread so
the observation count hits the size's target exactly. Some cells are left missing, one or more safety
incidents trigger a veto, and some ratings are absent, so validation, warnings and grades all vary.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd

from ..contract import SETTINGS
from ..contract.tables import DEFAULT_GRADES, DEFAULT_RATER_WEIGHTS, TABLES_BY_NAME
from ..i18n import Text, pick
from .catalogue import (
    BANDS,
    DIMENSION_WEIGHTS,
    DIMENSIONS,
    ROLE_DEPARTMENT,
    ROLE_PEER,
    ROLE_SUPERVISOR,
    W05_RATER_WEIGHTS,
    Spec,
    balanced_weights,
    pick_indicators,
)
from .names import person_names, vendor_names

DemoSize = Literal["demo", "S", "M", "L"]
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
ObjArray = npt.NDArray[np.object_]

DEFAULT_SEED = 20260701


@dataclass(frozen=True)
class SizeSpec:
    workers: int
    vendors: int
    indicators: int
    months: tuple[str, ...]
    observations: int  # exact number of observation rows
    peer_ratings: int = 1  # peer ratings per worker and period (up to this many)


Q3 = ("2026-07", "2026-08", "2026-09")
SIZES: dict[str, SizeSpec] = {
    "demo": SizeSpec(200, 6, 13, Q3, 6_000, peer_ratings=2),
    "S": SizeSpec(1_000, 20, 15, Q3, 40_000),
    "M": SizeSpec(10_000, 50, 15, Q3, 400_000),
    "L": SizeSpec(50_000, 200, 20, ("2026-09",), 1_000_000),
}
QUARTER = "2026-Q3"
SERVICES = (
    (Text("客服外包", "Customer service"), Text("客服专员", "Agent")),
    (Text("仓储物流", "Warehousing"), Text("仓管员", "Warehouse clerk")),
    (Text("IT运维", "IT operations"), Text("运维工程师", "Ops engineer")),
    (Text("数据标注", "Data labelling"), Text("标注员", "Labeller")),
    (Text("物业保洁", "Facility cleaning"), Text("保洁员", "Cleaner")),
    (Text("安保服务", "Security"), Text("安保员", "Guard")),
)
OBJECTIVES = (Text("提升客户满意度", "Customer satisfaction"), Text("降低运营成本", "Lower operating cost"),
              Text("提高交付质量", "Delivery quality"), Text("保障服务稳定", "Service continuity"))


def _comments(rating: FloatArray, lang: str) -> ObjArray:
    out = np.full(rating.size, None, dtype=object)
    out[rating <= 2] = pick(lang, "配合不够主动", "Could cooperate more")
    out[rating >= 5] = pick(lang, "乐于助人", "Very helpful")
    return out


def demo_tables(size: DemoSize = "demo", seed: int = DEFAULT_SEED, lang: str = "zh") -> dict[str, pd.DataFrame]:
    """Every input table of a sample workbook, as frames with field-key columns."""
    if size not in SIZES:
        raise ValueError(f"unknown demo size {size!r}: one of {', '.join(SIZES)}")
    return _Generator(SIZES[size], seed, lang).tables()


class _Generator:
    def __init__(self, spec: SizeSpec, seed: int, lang: str) -> None:
        self.spec = spec
        self.lang = lang
        self.rng = np.random.default_rng(seed)
        self.indicators = pick_indicators(spec.indicators)
        self.months = list(spec.months)
        self.starts = np.array([np.datetime64(f"{m}-01") for m in self.months])
        self.ends = np.array([(pd.Period(m, "M").end_time.normalize()).to_datetime64().astype("datetime64[D]")
                              for m in self.months])
        self.n_p = len(self.months)

    def t(self, text: Text) -> str:
        return text(self.lang)

    # ── subjects ────────────────────────────────────────────────────────────────────────────────
    def _vendors(self) -> pd.DataFrame:
        rng, n_v = self.rng, self.spec.vendors
        self.vendor_ids = np.array([f"V{i + 1:03d}" for i in range(n_v)], dtype=object)
        quality = rng.normal(0.15, 0.35, n_v)
        trend = rng.normal(0.0, 0.08, n_v)
        weak = rng.choice(n_v, max(1, n_v // 8), replace=False)  # a few weak vendors, getting worse
        quality[weak] -= 1.2
        trend[weak] = -0.35
        self.vendor_quality, self.vendor_trend, self.weak_vendors = quality, trend, weak
        self.vendor_service = rng.integers(0, len(SERVICES), n_v)
        start_year = rng.integers(2023, 2027, n_v)
        fee = np.round(rng.lognormal(np.log(1_500_000), 0.6, n_v), -3)
        return pd.DataFrame({
            "vendor_id": self.vendor_ids,
            "name": vendor_names(rng, n_v, self.lang),
            "contract_no": [f"HT-{y}-{i + 1:03d}" for i, y in enumerate(start_year)],
            "service": [self.t(SERVICES[s][0]) for s in self.vendor_service],
            "contract_start": pd.to_datetime([f"{y}-01-01" for y in start_year]),
            "contract_end": pd.to_datetime([f"{y + 2}-12-31" for y in start_year]),
            "base_fee": fee,
            "contact": np.char.add(person_names(rng, n_v, self.lang).astype(str),
                                   "经理" if self.lang == "zh" else "").astype(object),
            "email": [f"contact{i + 1:03d}@vendor{i + 1:03d}.example.com" for i in range(n_v)],
            "pack_password": [f"Xp#{i + 1:03d}{(i * 7919) % 1000:03d}" if i % 3 == 0 else None for i in range(n_v)],
        })

    def _workers(self) -> pd.DataFrame:
        rng, n_w, n_v = self.rng, self.spec.workers, self.spec.vendors
        share = rng.gamma(2.0, 1.0, n_v)
        vendor = np.concatenate([np.arange(n_v), rng.choice(n_v, n_w - n_v, p=share / share.sum())])
        vendor.sort()  # workers listed vendor by vendor
        self.worker_vendor = vendor
        width = max(4, len(str(n_w)))
        self.worker_ids = np.array([f"W{i + 1:0{width}d}" for i in range(n_w)], dtype=object)
        ability = rng.normal(0, 1, n_w)
        month = np.arange(self.n_p)
        # perf[w, p]: latent performance of worker w in period p
        self.perf = (0.7 * ability[:, None] + self.vendor_quality[vendor][:, None]
                     + self.vendor_trend[vendor][:, None] * month[None, :] + rng.normal(0, 0.3, (n_w, self.n_p)))
        start = np.datetime64("2022-01-01") + rng.integers(0, 4 * 365, n_w).astype("timedelta64[D]")
        start = np.minimum(start, np.datetime64("2026-06-30"))
        leavers = rng.random(n_w) < 0.02
        end = np.where(leavers, self.ends[-1], np.datetime64("NaT"))
        roles = np.array([self.t(r) for _, r in SERVICES], dtype=object)[self.vendor_service[vendor]]
        teams = np.array([pick(self.lang, f"{c}组", f"Team {k}") for k, c in enumerate("一二三四五", 1)], dtype=object)
        return pd.DataFrame({
            "worker_id": self.worker_ids,
            "name": person_names(rng, n_w, self.lang).astype(object),
            "vendor_id": self.vendor_ids[vendor],
            "role": roles,
            "team": teams[rng.integers(0, len(teams), n_w)],
            "start_date": pd.to_datetime(start),
            "end_date": pd.to_datetime(end),
            "base_bonus": rng.integers(20, 61, n_w) * 100.0,
        })

    # ── the scoring system ─────────────────────────────────────────────────────────────────────
    def _dimensions(self) -> pd.DataFrame:
        rows = [{"dimension": self.t(name), "level": level, "weight": DIMENSION_WEIGHTS[level][key],
                 "description": pick(self.lang, f"{'外包人员' if level == 'worker' else '供应商'}的{name.zh}",
                                     f"{name.en} of {'workers' if level == 'worker' else 'vendors'}")}
                for level in ("vendor", "worker") for key, name in DIMENSIONS]
        return pd.DataFrame(rows)

    def _indicators(self) -> pd.DataFrame:
        names = {key: self.t(name) for key, name in DIMENSIONS}
        weights = balanced_weights(self.indicators)
        rows = []
        for s in self.indicators:
            rows.append({
                "indicator_id": s.id, "name": self.t(s.name), "dimension": names[s.dim], "level": s.level,
                "weight": weights.get(s.id), "method": s.method, "direction": s.direction, "floor": s.floor,
                "target": s.target, "stretch": s.stretch, "cap": s.cap, "per_unit": s.per_unit, "band_set": s.band_set,
                "scale": s.scale, "aggregation": s.aggregation, "unit": self.t(s.unit) if s.unit else None,
                "source": s.source, "standard": self.t(s.standard) or None, "tip": self.t(s.tip) or None,
                "warn_below": 50.0 if s.id in ("W03", "V02") else None,
                "effective_from": None, "effective_to": None,
            })
        return pd.DataFrame(rows)

    def _bands(self) -> pd.DataFrame:
        used = {s.band_set for s in self.indicators if s.band_set}
        rows = [{"band_set": name, "lower": lo, "upper": hi, "score": score}
                for name, bands in BANDS.items() if name in used for lo, hi, score in bands]
        return pd.DataFrame(rows, columns=["band_set", "lower", "upper", "score"])

    def _periods(self) -> pd.DataFrame:
        months = pd.DataFrame({"period_id": self.months, "start": pd.to_datetime(self.starts),
                               "end": pd.to_datetime(self.ends), "rollup": QUARTER, "status": "open"})
        quarter = pd.DataFrame({"period_id": [QUARTER], "start": [pd.Timestamp("2026-07-01")],
                                "end": [pd.Timestamp("2026-09-30")], "rollup": [None], "status": ["open"]})
        return pd.concat([months, quarter], ignore_index=True)

    def _settings(self) -> pd.DataFrame:
        values: dict[str, object] = {"org_name": pick(self.lang, "示例集团有限公司", "Example Group Ltd"),
                                     "current_period": self.months[-1], "lang": self.lang}
        return pd.DataFrame([{"key": s.key, "value": values.get(s.key, s.default if s.default != "" else None),
                              "description": pick(self.lang, f"{s.zh}：{s.doc_zh}", f"{s.en}: {s.doc_en}")}
                             for s in SETTINGS])

    def _rater_weights(self) -> pd.DataFrame:
        rows = [{"indicator_id": i, "rater_role": pick(self.lang, zh, en), "weight": w}
                for i, zh, en, w in DEFAULT_RATER_WEIGHTS]
        if any(s.id == "W05" for s in self.indicators):
            rows += [{"indicator_id": "W05", "rater_role": self.t(role), "weight": w} for role, w in W05_RATER_WEIGHTS]
        return pd.DataFrame(rows)

    def _grades(self) -> pd.DataFrame:
        return pd.DataFrame([{"grade": g, "min_score": m, "quota": q, "bonus_coef": b, "fee_adjust": f,
                              "action": pick(self.lang, azh, aen)} for g, m, q, b, f, azh, aen in DEFAULT_GRADES])

    # ── observations ───────────────────────────────────────────────────────────────────────────
    def _period_values(self, s: Spec, perf: FloatArray) -> FloatArray:
        noise = self.rng.normal(0, 0.35, perf.shape)
        return np.clip(s.centre + s.spread * (perf + noise), s.lo, s.hi)

    def _observations(self) -> pd.DataFrame:
        rng, n_w, n_v, n_p = self.rng, self.spec.workers, self.spec.vendors, self.n_p
        parts: list[tuple[IntArray, IntArray, IntArray, str, ObjArray]] = []  # (worker|-1, vendor, period, id, value)
        vendor_perf = self.vendor_quality[:, None] + self.vendor_trend[:, None] * np.arange(n_p)[None, :]

        # Vendor-level records: weekly measurements, and innovation projects as events.
        for s in self.indicators:
            if s.level != "vendor":
                continue
            if s.kind == "dense":
                vals = self._period_values(s, vendor_perf)  # (n_v, n_p)
                v, p = np.divmod(np.repeat(np.arange(n_v * n_p), 4), n_p)
                rec = np.round(np.clip(vals[v, p] + rng.normal(0, abs(s.spread) * 0.3, v.size), s.lo, s.hi), s.decimals)
                parts.append((np.full(v.size, -1), v, p, s.id, rec.astype(object)))
            elif s.kind == "count":  # a monthly count, 0 included (no record would mean "no data")
                counts = rng.poisson(s.rate * np.exp(0.5 * vendor_perf)).ravel()
                v, p = np.divmod(np.arange(n_v * n_p), n_p)
                parts.append((np.full(v.size, -1), v, p, s.id, counts.astype(np.float64).astype(object)))

        # Worker-level counts reported monthly (complaints, rework: weaker workers have more) and
        # innovation awards recorded only when granted (stronger workers get more).
        for s in self.indicators:
            if s.level != "worker" or s.kind not in ("count", "events"):
                continue
            factor = -0.6 if s.method == "deduction" else 0.8
            counts = rng.poisson(s.rate * np.exp(factor * self.perf)).ravel()
            if s.kind == "count":
                keep = np.flatnonzero(rng.random(counts.size) >= 0.01)  # a few reports are missing
                w, p = np.divmod(keep, n_p)
                parts.append((w, self.worker_vendor[w], p, s.id, counts[keep].astype(np.float64).astype(object)))
            else:
                w, p = np.divmod(np.repeat(np.arange(n_w * n_p), counts), n_p)
                parts.append((w, self.worker_vendor[w], p, s.id, np.ones(w.size).astype(object)))

        # Safety incidents: a veto in a weak vendor, one per 5 000 workers (at least one).
        veto = next((s for s in self.indicators if s.method == "veto"), None)
        if veto is not None:
            weak_workers = np.flatnonzero(np.isin(self.worker_vendor, self.weak_vendors))
            n_inc = max(1, n_w // 5000)
            w = rng.choice(weak_workers, n_inc, replace=False)
            p = np.full(n_inc, n_p - 1)
            parts.append((w, self.worker_vendor[w], p, veto.id,
                          np.full(n_inc, pick(self.lang, "是", "yes"), dtype=object)))

        # Dense worker records share what is left of the observation budget.
        dense = [s for s in self.indicators if s.level == "worker" and s.kind == "dense"]
        cells_per_spec = []
        for s in dense:
            present = rng.random(n_w * n_p) >= (0.015 + 0.03 * np.isin(self.worker_vendor, self.weak_vendors).repeat(n_p))
            cells_per_spec.append(np.flatnonzero(present))
        n_cells = sum(c.size for c in cells_per_spec)
        budget = self.spec.observations - sum(part[0].size for part in parts)
        base, extra = divmod(budget, n_cells)
        if base < 1:
            raise ValueError("observation target too small for this many workers and indicators")
        k_all = np.full(n_cells, base, dtype=np.int64)
        k_all[rng.choice(n_cells, extra, replace=False)] += 1
        offset = 0
        for s, cells in zip(dense, cells_per_spec):
            k = k_all[offset:offset + cells.size]
            offset += cells.size
            period_value = self._period_values(s, self.perf).ravel()[cells]
            cell_of_row = np.repeat(np.arange(cells.size), k)
            if s.aggregation == "sum":  # split the period's whole-number total over its records exactly
                total = np.round(period_value).astype(np.int64)
                first = np.repeat(np.cumsum(k) - k, k)
                rank = np.arange(cell_of_row.size) - first  # 0..k-1 within the cell
                each, rest = np.divmod(total, k)
                rec = (each[cell_of_row] + (rank < rest[cell_of_row])).astype(np.float64)
            else:
                rec = np.round(np.clip(period_value[cell_of_row] + rng.normal(0, abs(s.spread) * 0.25, cell_of_row.size),
                                       s.lo, s.hi), s.decimals)
            w, p = np.divmod(cells[cell_of_row], n_p)
            parts.append((w, self.worker_vendor[w], p, s.id, rec.astype(object)))

        return self._observation_frame(parts)

    def _observation_frame(self, parts: list[tuple[IntArray, IntArray, IntArray, str, ObjArray]]) -> pd.DataFrame:
        rng, lang = self.rng, self.lang
        w = np.concatenate([x[0] for x in parts])
        v = np.concatenate([x[1] for x in parts])
        p = np.concatenate([x[2] for x in parts])
        ind = np.concatenate([np.full(x[0].size, x[3], dtype=object) for x in parts])
        value = np.concatenate([x[4] for x in parts])
        n = w.size
        days = (self.ends - self.starts).astype(np.int64) + 1
        date = self.starts[p] + (rng.random(n) * days[p]).astype(np.int64).astype("timedelta64[D]")
        order = np.lexsort((w, v, date))  # by date, then vendor, then worker
        w, v, p, ind, value, date = w[order], v[order], p[order], ind[order], value[order], date[order]
        spec_by_id = {s.id: s for s in self.indicators}
        source = pd.Series(ind).map({k: s.source for k, s in spec_by_id.items()}).to_numpy(dtype=object)
        period = np.array(self.months, dtype=object)[p]
        period[rng.random(n) < 0.15] = None  # left blank: the date decides the period
        recorders = np.array([pick(lang, n_zh, n_en) for n_zh, n_en in
                              (("李娜", "Li Na"), ("王强", "Wang Qiang"), ("赵敏", "Zhao Min"), ("陈晨", "Chen Chen"),
                               ("系统导入", "system import"))], dtype=object)
        recorder = recorders[np.where(source == "online", 4, rng.integers(0, 4, n))]
        note = np.full(n, None, dtype=object)
        note[ind == "W08"] = pick(lang, "现场检查发现未按规定操作，造成人员受伤", "On-site check: unsafe work caused an injury")
        note[ind == "W04"] = pick(lang, "客户电话投诉", "Customer phoned in a complaint")
        worker_id = np.where(w >= 0, self.worker_ids[np.maximum(w, 0)], None)
        return pd.DataFrame({
            "date": pd.to_datetime(date), "period_id": period, "vendor_id": self.vendor_ids[v],
            "worker_id": worker_id, "indicator_id": ind, "value": value, "source": source,
            "recorder": recorder, "note": note,
        })

    # ── ratings and goals ──────────────────────────────────────────────────────────────────────
    def _ratings(self) -> pd.DataFrame:
        rng, n_w, n_v, n_p, lang = self.rng, self.spec.workers, self.spec.vendors, self.n_p, self.lang
        frames = []
        raters = person_names(rng, 40, lang).astype(object)
        if any(s.id == "W05" for s in self.indicators):
            for role, per_subject, missing in ((ROLE_SUPERVISOR, 1, 0.0), (ROLE_DEPARTMENT, 1, 0.05),
                                               (ROLE_PEER, self.spec.peer_ratings, 0.1)):
                counts = rng.integers(1, per_subject + 1, n_w * n_p) * (rng.random(n_w * n_p) >= missing)
                cell = np.repeat(np.arange(n_w * n_p), counts)
                w, p = np.divmod(cell, n_p)
                r = np.clip(np.round(3.8 + 0.5 * self.perf[w, p] + rng.normal(0, 0.5, cell.size)), 1, 5)
                frames.append(pd.DataFrame({
                    "period_id": np.array(self.months, dtype=object)[p], "vendor_id": self.vendor_ids[self.worker_vendor[w]],
                    "worker_id": self.worker_ids[w], "indicator_id": "W05", "rater_role": self.t(role),
                    "rater": raters[rng.integers(0, raters.size, cell.size)], "rating": r,
                    "comment": _comments(r, lang),
                }))
        if any(s.id == "V04" for s in self.indicators):
            vendor_perf = self.vendor_quality[:, None] + self.vendor_trend[:, None] * np.arange(n_p)[None, :]
            for role in (ROLE_SUPERVISOR, ROLE_DEPARTMENT):
                cell = np.repeat(np.arange(n_v * n_p), 2)
                v, p = np.divmod(cell, n_p)
                r = np.clip(np.round(3.9 + 0.7 * vendor_perf[v, p] + rng.normal(0, 0.5, cell.size)), 1, 5)
                frames.append(pd.DataFrame({
                    "period_id": np.array(self.months, dtype=object)[p], "vendor_id": self.vendor_ids[v],
                    "worker_id": None, "indicator_id": "V04", "rater_role": self.t(role),
                    "rater": raters[rng.integers(0, raters.size, cell.size)], "rating": r, "comment": None,
                }))
        out = pd.concat(frames, ignore_index=True)
        return out.sort_values(["period_id", "vendor_id"], kind="stable", ignore_index=True)

    def _goals(self, vendors: pd.DataFrame, workers: pd.DataFrame) -> pd.DataFrame:
        rng, lang = self.rng, self.lang
        n_v = self.spec.vendors
        n_wg = max(10, self.spec.workers // 20)
        wsel = np.sort(rng.choice(self.spec.workers, n_wg, replace=False))
        v_base = np.round(rng.uniform(90, 94, n_v), 1)
        v_target = np.minimum(v_base + 3, 99.0)
        w_base = np.round(rng.uniform(86, 92, n_wg), 1)
        w_target = np.minimum(w_base + 5, 99.0)
        v_name, w_name = self.t(Text("响应及时率", "on-time response")), self.t(Text("一次通过率", "first-pass rate"))
        worker_names = workers["name"].to_numpy(dtype=object)[wsel]

        def describe(who: npt.NDArray[np.object_], what: str, base: FloatArray, target: FloatArray,
                     by: str) -> pd.Series:
            b, t = pd.Series(base).astype(str), pd.Series(target).astype(str)
            if lang == "zh":
                return f"{by}前，" + pd.Series(who) + f"的{what}从 " + b + "% 提升到 " + t + "%"
            return f"By {by}, raise " + pd.Series(who) + f"'s {what} from " + b + "% to " + t + "%"

        status = np.array(["agreed", "in_progress", "in_progress", "draft"], dtype=object)
        objectives = np.array([self.t(o) for o in OBJECTIVES], dtype=object)
        vendors = pd.DataFrame({
            "vendor_id": self.vendor_ids, "worker_id": None, "indicator_id": "V02",
            "description": describe(vendors["name"].to_numpy(dtype=object), v_name, v_base, v_target, pick(lang, "2026年12月31日", "31 Dec 2026")),
            "baseline": v_base, "target": v_target, "objective": objectives[rng.integers(0, 4, n_v)],
            "deadline": pd.Timestamp("2026-12-31"), "agreed_on": pd.Timestamp("2026-07-01"),
            "status": status[rng.integers(0, 3, n_v)],
        })
        wk = pd.DataFrame({
            "vendor_id": self.vendor_ids[self.worker_vendor[wsel]], "worker_id": self.worker_ids[wsel],
            "indicator_id": "W03",
            "description": describe(worker_names, w_name, w_base, w_target, pick(lang, "2026年9月30日", "30 Sep 2026")),
            "baseline": w_base, "target": w_target, "objective": objectives[rng.integers(0, 4, n_wg)],
            "deadline": pd.Timestamp("2026-09-30"), "agreed_on": pd.Timestamp("2026-06-15"),
            "status": status[rng.integers(0, 4, n_wg)],
        })
        goals = pd.concat([vendors, wk], ignore_index=True)
        goals.insert(0, "goal_id", [f"G{i + 1:04d}" for i in range(len(goals))])
        return goals

    def tables(self) -> dict[str, pd.DataFrame]:
        vendors = self._vendors()
        workers = self._workers()
        out: dict[str, pd.DataFrame] = {
            "settings": self._settings(),
            "dimensions": self._dimensions(),
            "indicators": self._indicators(),
            "bands": self._bands(),
            "vendors": vendors,
            "workers": workers,
            "periods": self._periods(),
            "observations": self._observations(),
            "ratings": self._ratings(),
            "rater_weights": self._rater_weights(),
            "grades": self._grades(),
            "goals": self._goals(vendors, workers),
        }
        out["scenarios"] = self._scenarios(out["dimensions"], self.lang)
        out["calibrations"] = pd.DataFrame({"period_id": pd.Series(dtype=object), "vendor_id": pd.Series(dtype=object),
                                            "worker_id": pd.Series(dtype=object), "grade": pd.Series(dtype=object),
                                            "reason": pd.Series(dtype=object), "calibrated_by": pd.Series(dtype=object)})
        # issue 16: typed rows leave the pull's columns blank; the demo has no sources configured
        out["observations"] = out["observations"].assign(count=None, pulled_from=None)
        out["sources"] = pd.DataFrame({k: pd.Series(dtype=object) for k in TABLES_BY_NAME["sources"].keys})
        # issue 14: appeals and improvement plans arrive from vendors' replies (xlperf collect); none yet
        for name in ("appeals", "improvement_plans"):
            out[name] = pd.DataFrame({k: pd.Series(dtype=object) for k in TABLES_BY_NAME[name].keys})
        return out

    @staticmethod
    def _scenarios(dims: pd.DataFrame, lang: str) -> pd.DataFrame:
        """One what-if for 方案模拟 to show: ten points of worker weight moved from the first dimension to
        the third (the weights still total 100). Changes nothing until HR clicks the button."""
        worker = dims[dims["level"].astype(str) == "worker"].reset_index(drop=True)
        if len(worker) < 3:
            return pd.DataFrame(columns=["scenario", "change", "key", "field", "value", "description"])
        names = worker["dimension"].astype(str).tolist()
        weights = pd.to_numeric(worker["weight"], errors="coerce").fillna(0.0).astype(float).tolist()
        d1, w1, d3, w3 = names[0], weights[0], names[2], weights[2]
        step = min(10.0, w1)
        return pd.DataFrame([
            {"scenario": pick(lang, f"{d3}优先", f"{d3} first"), "change": "dimension_weight", "key": d3,
             "field": "worker", "value": w3 + step, "description": f"{d3} +{step:g}"},
            {"scenario": pick(lang, f"{d3}优先", f"{d3} first"), "change": "dimension_weight", "key": d1,
             "field": "worker",
             "value": w1 - step, "description": f"{d1} -{step:g}"},
        ])
