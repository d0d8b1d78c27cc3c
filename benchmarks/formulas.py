"""The alternative HR would build by hand: the same scoring as native Excel formulas.

One row per (period, subject, indicator) aggregates the monitoring records with AVERAGEIFS/SUMIFS/
COUNTIFS and scores them with IF/MIN/MAX formulas per method; one row per (period, subject) weighs the
indicator scores with SUMIFS. LibreOffice headless recalculates the whole workbook on load; that time
is what the benchmark compares xlperf against. Ratings, team and veto are folded in as their simplest
formula equivalents (AVERAGEIFS over ratings ÷ scale; COUNTIFS for veto) — the point is the cost of
the lookups, which dominates, not bit-identical scores.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def write_formula_book(tables: dict[str, pd.DataFrame], path: Path) -> int:
    """Write the formula workbook; return the number of formula rows."""
    import xlsxwriter

    obs = tables["observations"]
    ind = tables["indicators"].reset_index(drop=True)
    ratings = tables["ratings"]
    workers = tables["workers"]
    periods = sorted(obs["period_id"].dropna().astype(str).unique())

    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    s_obs = wb.add_worksheet("obs")
    s_obs.write_row(0, 0, ["period", "subject", "indicator", "value"])
    subj = obs["worker_id"].where(obs["worker_id"].notna(), obs["vendor_id"]).astype(str)
    vals = pd.to_numeric(obs["value"], errors="coerce").fillna(0)
    for i, row in enumerate(zip(obs["period_id"].astype(str), subj, obs["indicator_id"].astype(str), vals), start=1):
        s_obs.write_row(i, 0, row)
    n_obs = len(obs) + 1

    s_rat = wb.add_worksheet("ratings")
    s_rat.write_row(0, 0, ["period", "subject", "indicator", "rating"])
    rsubj = ratings["worker_id"].where(ratings["worker_id"].notna(), ratings["vendor_id"]).astype(str)
    for i, row in enumerate(zip(ratings["period_id"].astype(str), rsubj, ratings["indicator_id"].astype(str),
                                pd.to_numeric(ratings["rating"], errors="coerce").fillna(0)), start=1):
        s_rat.write_row(i, 0, row)
    n_rat = len(ratings) + 1

    s_ind = wb.add_worksheet("ind")
    cols = ["indicator_id", "method", "direction", "floor", "target", "stretch", "cap", "per_unit", "scale",
            "aggregation", "weight", "level"]
    s_ind.write_row(0, 0, cols)
    for i, rec in enumerate(ind[cols].itertuples(index=False), start=1):
        s_ind.write_row(i, 0, [("" if pd.isna(v) else v) for v in rec])
    n_ind = len(ind) + 1

    s_calc = wb.add_worksheet("calc")
    s_calc.write_row(0, 0, ["period", "subject", "indicator", "value", "score", "weight", "weighted"])
    O = f"obs!$A$2:$A${n_obs},{{p}},obs!$B$2:$B${n_obs},{{s}},obs!$C$2:$C${n_obs},{{i}}"
    R = f"ratings!$A$2:$A${n_rat},{{p}},ratings!$B$2:$B${n_rat},{{s}},ratings!$C$2:$C${n_rat},{{i}}"
    look = lambda col, r: f"VLOOKUP($C{r},ind!$A$2:$L${n_ind},{col},0)"
    row = 1
    worker_ids = workers["worker_id"].astype(str).tolist()
    worker_ind = ind.loc[ind["level"] == "worker"]
    for p in periods:
        for w in worker_ids:
            for iid in worker_ind["indicator_id"].astype(str):
                r = row + 1
                crit = O.format(p=f"$A{r}", s=f"$B{r}", i=f"$C{r}")
                rcrit = R.format(p=f"$A{r}", s=f"$B{r}", i=f"$C{r}")
                value = (f'=IF({look(2, r)}="rating",IFERROR(AVERAGEIFS(ratings!$D$2:$D${n_rat},{rcrit}),""),'
                         f'IF(COUNTIFS({crit})=0,"",IF({look(10, r)}="sum",SUMIFS(obs!$D$2:$D${n_obs},{crit}),'
                         f'IF({look(10, r)}="count",COUNTIFS({crit}),AVERAGEIFS(obs!$D$2:$D${n_obs},{crit})))))')
                f, t, cap = look(4, r), look(5, r), f"IF({look(7, r)}=\"\",100,{look(7, r)})"
                score = (f'=IF($D{r}="","",IF({look(2, r)}="linear",MAX(0,MIN({cap},100*($D{r}-{f})/({t}-{f}))),'
                         f'IF({look(2, r)}="ratio",MAX(0,MIN({cap},IF({look(3, r)}="lower",100*{t}/MAX($D{r},0.000001),100*$D{r}/{t}))),'
                         f'IF({look(2, r)}="deduction",MAX(0,100-{look(8, r)}*$D{r}),'
                         f'IF({look(2, r)}="rating",100*$D{r}/{look(9, r)},100)))))')
                s_calc.write_row(row, 0, [p, w, iid])
                s_calc.write_formula(row, 3, value)
                s_calc.write_formula(row, 4, score)
                s_calc.write_formula(row, 5, f"={look(11, r)}")
                s_calc.write_formula(row, 6, f'=IF($E{r}="",0,$E{r}*$F{r})')
                row += 1
    n_calc = row
    s_tot = wb.add_worksheet("totals")
    s_tot.write_row(0, 0, ["period", "subject", "total"])
    trow = 1
    for p in periods:
        for w in worker_ids:
            r = trow + 1
            crit = f"calc!$A$2:$A${n_calc},$A{r},calc!$B$2:$B${n_calc},$B{r}"
            s_tot.write_row(trow, 0, [p, w])
            s_tot.write_formula(trow, 2, f"=ROUND(SUMIFS(calc!$G$2:$G${n_calc},{crit})/"
                                          f"MAX(1,SUMIFS(calc!$F$2:$F${n_calc},{crit},calc!$E$2:$E${n_calc},\"<>\")),2)")
            trow += 1
    wb.close()
    return (n_calc - 1) + (trow - 1)
