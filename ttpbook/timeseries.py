"""Time-series rules for the book's period tables, each rule in one place.

Every row of ``data/monthly_attacks.csv`` and ``data/annual_violence.csv`` covers
``period_start`` to ``period_end``. Most monthly rows cover one calendar month, but PICSS gave
one figure for August and September 2022 together. The book's one convention for such a row:

* It is shown as what it is: one figure spanning its months, labelled
  "Aug–Sep 2022 (two months reported together)". Never a one-month spike, never an invented
  split between the months, never a blank.
* ``per_month`` (value / months) is a *derived average* for comparing rates. It is never
  presented as a reported monthly figure.
* A month with no figure is missing, never zero.
* A mean over a run of months counts the figures that lie wholly inside it (their total divided
  by the months they cover). A figure that the run's edge would cut is refused with a
  ``ValueError``, or, when asked (``cut="leave out"``), left out and named.
"""

from __future__ import annotations

import pandas as pd

__all__ = [
    "BEFORE",
    "DURING",
    "EVENT_MONTH",
    "AFTER",
    "OWN_FIGURE",
    "MULTI_MONTH",
    "MISSING",
    "months_spanned",
    "single_month_rows",
    "multi_month_rows",
    "full_year_rows",
    "period_label",
    "monthly_series",
    "complete_months",
    "figures_within",
    "mean_per_month",
    "rolling_mean",
    "window_months",
    "window_around",
    "before_after",
    "span_marks",
    "complete_years",
    "mean_a_month_by_year",
]

# Periods of a before/after window.
BEFORE, DURING, EVENT_MONTH, AFTER = "before", "during", "event month", "after"
# What a calendar month holds in complete_months().
OWN_FIGURE, MULTI_MONTH, MISSING = "own figure", "part of a multi-month figure", "missing (no figure)"

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_NUMBERS = {
    2: "two",
    3: "three",
    4: "four",
    5: "five",
    6: "six",
    7: "seven",
    8: "eight",
    9: "nine",
    10: "ten",
    11: "eleven",
    12: "twelve",
}
_SERIES_COLUMNS = {"month_start", "month_end", "months", "value"}
_CARRIED = ["series", "value_type", "is_preferred", "source_id", "derivation_note"]
_CUT_CHOICES = ("raise", "leave out")


# --------------------------------------------------------------------------- rows and spans


def _require(frame: pd.DataFrame, columns, where: str) -> None:
    for col in columns:
        if col not in frame.columns:
            raise ValueError(
                f"{where}: column '{col}' is missing (the frame has: {', '.join(map(str, frame.columns))})"
            )


def _dates(frame: pd.DataFrame, where: str) -> tuple[pd.Series, pd.Series]:
    """period_start and period_end as dates, refusing an empty date or an end before its start."""
    _require(frame, ("period_start", "period_end"), where)
    start = pd.to_datetime(frame["period_start"]).astype("datetime64[ns]")
    end = pd.to_datetime(frame["period_end"]).astype("datetime64[ns]")
    for col, s in (("period_start", start), ("period_end", end)):
        if s.isna().any():
            raise ValueError(f"{where}: row {s.index[s.isna()][0]!r}, column '{col}': no date")
    bad = end < start
    if bad.any():
        i = bad.index[bad][0]
        raise ValueError(
            f"{where}: row {i!r}, column 'period_end': {end[i]:%Y-%m-%d} is before period_start {start[i]:%Y-%m-%d}"
        )
    return start, end


def months_spanned(frame: pd.DataFrame) -> pd.Series:
    """How many calendar months each row touches, period_start to period_end inclusive.

    1 for 1-31 Oct 2021, 2 for 1 Aug-30 Sep 2022, 12 for a calendar year. Raises ValueError
    naming the row and column for a missing column, an empty date or an end before its start.
    """
    start, end = _dates(frame, "months_spanned")
    return ((end.dt.year - start.dt.year) * 12 + end.dt.month - start.dt.month + 1).astype(int).rename("months")


def single_month_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows that cover exactly one calendar month."""
    return frame[months_spanned(frame) == 1]


def multi_month_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows that cover more than one calendar month (one figure for several months)."""
    return frame[months_spanned(frame) > 1]


def _whole_years(start: pd.Series, end: pd.Series) -> pd.Series:
    return (start.dt.month == 1) & (start.dt.day == 1) & (end.dt.month == 12) & (end.dt.day == 31)


def full_year_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows that cover one whole calendar year: 1 January to 31 December of the same year.

    Part-year rows (Jan-Oct 2024, 1 Jan-25 Dec 2023) and multi-year rows (2008-2012) are left out.
    """
    start, end = _dates(frame, "full_year_rows")
    return frame[_whole_years(start, end) & (start.dt.year == end.dt.year)]


def period_label(start, end) -> str:
    """A reader's name for a period: '2024' for a calendar year, '2008–2012' for several whole
    years, 'Oct 2021' for one month, 'Jan–Oct 2024' for part of a year, 'Dec 2022–Jan 2023'
    across a year's end."""
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if bool(_whole_years(pd.Series([start]), pd.Series([end])).iloc[0]):
        return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"
    if (start.year, start.month) == (end.year, end.month):
        return f"{_MONTHS[start.month - 1]} {start.year}"
    if start.year == end.year:
        return f"{_MONTHS[start.month - 1]}–{_MONTHS[end.month - 1]} {start.year}"
    return f"{_MONTHS[start.month - 1]} {start.year}–{_MONTHS[end.month - 1]} {end.year}"


def _figure_label(start, end, months: int) -> str:
    if months == 1:
        return period_label(start, end)
    return f"{period_label(start, end)} ({_NUMBERS.get(months, str(months))} months reported together)"


# --------------------------------------------------------------------------- the monthly series


def _text(s: pd.Series) -> pd.Series:
    return s.astype(object).where(s.notna(), "").astype(str)


def _refuse_overlaps(series: pd.DataFrame, where: str) -> None:
    seen: dict[pd.Period, str] = {}
    for r in series.itertuples():
        for m in pd.period_range(r.month_start, r.month_end, freq="M"):
            if m in seen:
                raise ValueError(f"{where}: more than one figure covers {m:%Y-%m} ({seen[m]}; {r.label})")
            seen[m] = r.label


def monthly_series(frame: pd.DataFrame, measure: str = "attacks", preferred_only: bool = True) -> pd.DataFrame:
    """One row per published figure of one measure, in time order, each with the months it covers.

    Columns: period_start, period_end (as published), month_start, month_end (first day of the
    first month, last day of the last month covered), months (how many), value (the figure as
    published), per_month (value / months: a derived average for comparing rates, not a
    reported monthly figure), period ("Aug–Sep 2022"), label ("Aug–Sep 2022 (two months
    reported together)"; just the month for a one-month figure), and series, value_type,
    is_preferred, source_id, derivation_note where the input has them.

    Rows must cover whole calendar months. With ``preferred_only`` two figures may not cover the
    same month. Either problem raises ValueError naming the row or the month.
    """
    where = "monthly_series"
    _require(frame, ("period_start", "period_end", "measure", "value"), where)
    rows = frame[frame["measure"].astype(str) == measure]
    if preferred_only:
        _require(frame, ("is_preferred",), where)
        rows = rows[rows["is_preferred"].astype(str) == "yes"]
    if rows.empty:
        raise ValueError(f"{where}: no {'preferred ' if preferred_only else ''}rows for measure {measure!r}")
    start, end = _dates(rows, where)
    first = start.dt.to_period("M").dt.to_timestamp()
    last = end.dt.to_period("M").dt.to_timestamp() + pd.offsets.MonthEnd(0)
    for col, got, want in (("period_start", start, first), ("period_end", end, last)):
        off = got != want
        if off.any():
            i = off.index[off][0]
            raise ValueError(
                f"{where}: row {i!r}, column '{col}': {got[i]:%Y-%m-%d} is not the "
                f"{'first' if col == 'period_start' else 'last'} day of a month; a monthly "
                "series needs rows that cover whole months"
            )
    months = months_spanned(rows)
    value = rows["value"]
    out = pd.DataFrame(
        {
            "period_start": start,
            "period_end": end,
            "month_start": first,
            "month_end": last.astype("datetime64[ns]"),
            "months": months,
            "value": value,
            "per_month": pd.array(value.astype("Float64") / months, dtype="Float64"),
            "period": [period_label(a, b) for a, b in zip(start, end)],
            "label": [_figure_label(a, b, n) for a, b, n in zip(start, end, months)],
        },
        index=rows.index,
    )
    for col in _CARRIED:
        if col in rows.columns:
            out[col] = _text(rows[col])
    out = out.sort_values("month_start", kind="stable").reset_index(drop=True)
    if preferred_only:
        _refuse_overlaps(out, where)
    return out


def _as_series(frame: pd.DataFrame, measure: str, where: str) -> pd.DataFrame:
    """The loader's table or a monthly_series() result, as a monthly series."""
    if _SERIES_COLUMNS <= set(frame.columns):
        series = frame.sort_values("month_start", kind="stable").reset_index(drop=True)
        if "per_month" not in series.columns:
            series = series.assign(
                per_month=pd.array(series["value"].astype("Float64") / series["months"], dtype="Float64")
            )
        if "period" not in series.columns:
            series = series.assign(
                period=[period_label(a, b) for a, b in zip(series["month_start"], series["month_end"])]
            )
        if "label" not in series.columns:
            series = series.assign(
                label=[
                    _figure_label(a, b, int(n))
                    for a, b, n in zip(series["month_start"], series["month_end"], series["months"])
                ]
            )
        _refuse_overlaps(series, where)
        return series
    return monthly_series(frame, measure)


def _month(value) -> pd.Period:
    return pd.Period(pd.Timestamp(value), freq="M")


def complete_months(frame: pd.DataFrame, start=None, end=None, *, measure: str = "attacks") -> pd.DataFrame:
    """Every calendar month from ``start`` to ``end`` (default: the series' first to last month),
    each with what the data hold for it. Gaps are explicit, never zero.

    Columns: month (first day), value (the month's own one-month figure, or empty), status
    (OWN_FIGURE, MULTI_MONTH or MISSING), figure_label, figure_period, figure_start, figure_end,
    figure_months, figure_value (the figure covering the month, which for MULTI_MONTH covers
    other months too), per_month (that figure's derived average a month), value_type, source_id.
    """
    series = _as_series(frame, measure, "complete_months")
    lo = _month(start) if start is not None else _month(series["month_start"].min())
    hi = _month(end) if end is not None else _month(series["month_end"].max())
    by_month = {}
    for r in series.itertuples():
        for m in pd.period_range(r.month_start, r.month_end, freq="M"):
            by_month[m] = r
    rows = []
    for m in pd.period_range(lo, hi, freq="M"):
        r = by_month.get(m)
        if r is None:
            rows.append(
                {
                    "month": m.to_timestamp(),
                    "value": pd.NA,
                    "status": MISSING,
                    "figure_label": "",
                    "figure_period": "",
                    "figure_start": pd.NaT,
                    "figure_end": pd.NaT,
                    "figure_months": pd.NA,
                    "figure_value": pd.NA,
                    "per_month": pd.NA,
                    "value_type": "",
                    "source_id": "",
                }
            )
            continue
        rows.append(
            {
                "month": m.to_timestamp(),
                "value": r.value if r.months == 1 else pd.NA,
                "status": OWN_FIGURE if r.months == 1 else MULTI_MONTH,
                "figure_label": r.label,
                "figure_period": getattr(r, "period", r.label),
                "figure_start": r.month_start,
                "figure_end": r.month_end,
                "figure_months": r.months,
                "figure_value": r.value,
                "per_month": r.per_month,
                "value_type": getattr(r, "value_type", ""),
                "source_id": getattr(r, "source_id", ""),
            }
        )
    out = pd.DataFrame(
        rows,
        columns=[
            "month",
            "value",
            "status",
            "figure_label",
            "figure_period",
            "figure_start",
            "figure_end",
            "figure_months",
            "figure_value",
            "per_month",
            "value_type",
            "source_id",
        ],
    )
    for col in ("value", "figure_value", "figure_months"):
        out[col] = pd.array(out[col].tolist(), dtype="Int64")
    out["per_month"] = pd.array(out["per_month"].tolist(), dtype="Float64")
    for col in ("month", "figure_start", "figure_end"):
        out[col] = pd.to_datetime(out[col]).astype("datetime64[ns]")
    return out


def complete_years(
    frame: pd.DataFrame, by="series", year: str = "year", value: str = "value", flag: str | None = None
) -> pd.DataFrame:
    """Every year from each series' own first to last year, a missing year as a row with an
    empty ``value``: a line drawn from the result breaks at the gap instead of bridging it.

    ``by`` is the column (or list of columns) that tells series apart; the added rows carry
    those, the year and an empty value, and nothing else. Years before a series' first figure
    or after its last are not added. With ``flag``, a boolean column of that name marks the
    added rows. Rows come back sorted by ``by`` and year.
    """
    keys = [by] if isinstance(by, str) else list(by)
    _require(frame, keys + [year, value], "complete_years")
    out = frame.copy()
    if flag:
        out[flag] = False
    gaps = []
    for key, rows in out.groupby(keys, sort=False, dropna=False, observed=True):
        key = key if isinstance(key, tuple) else (key,)
        have = set(int(y) for y in rows[year].dropna())
        if not have:
            continue
        for y in range(min(have), max(have) + 1):
            if y not in have:
                gaps.append({**dict(zip(keys, key)), year: y, **({flag: True} if flag else {})})
    if gaps:
        added = pd.DataFrame(gaps)
        out = pd.concat([out, added.astype({k: out[k].dtype for k in keys if k in added})], ignore_index=True)
    if pd.api.types.is_integer_dtype(frame[value].dtype) or str(frame[value].dtype) == "Int64":
        out[value] = out[value].astype("Int64")
    out[year] = out[year].astype(int)
    return out.sort_values(keys + [year], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- means over runs of months


def _split_run(series: pd.DataFrame, first: pd.Period, last: pd.Period) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(figures wholly inside months first..last, figures that the run's edge cuts)."""
    f = series["month_start"].dt.to_period("M")
    l = series["month_end"].dt.to_period("M")  # noqa: E741
    touches = (f <= last) & (l >= first)
    inside = touches & (f >= first) & (l <= last)
    return series[inside], series[touches & ~inside]


def _check_cut(cut: str) -> None:
    if cut not in _CUT_CHOICES:
        raise ValueError(f"cut must be one of {', '.join(map(repr, _CUT_CHOICES))}, not {cut!r}")


def _run_text(first: pd.Period, last: pd.Period) -> str:
    return f"{first:%b %Y}" if first == last else f"{first:%b %Y}–{last:%b %Y}"


def figures_within(frame: pd.DataFrame, first, last, *, measure: str = "attacks") -> pd.DataFrame:
    """The figures (monthly_series rows) lying wholly inside the months ``first`` to ``last``.

    Refuses (ValueError) a figure that the run's edge would cut: its months cannot be split.
    """
    lo, hi = _month(first), _month(last)
    inside, cut = _split_run(_as_series(frame, measure, "figures_within"), lo, hi)
    if len(cut):
        raise ValueError(
            f"figures_within: {_run_text(lo, hi)} would cut the figure for {cut.iloc[0]['label']}, "
            "which cannot be split between its months; choose months that hold all of it or none"
        )
    return inside.reset_index(drop=True)


def _mean(figures: pd.DataFrame) -> float:
    """Total of the figures over the months they cover: the one way a period's mean is taken."""
    months = int(figures["months"].sum())
    return float(figures["value"].astype("Float64").sum()) / months if months else float("nan")


def mean_per_month(frame: pd.DataFrame, first, last, *, measure: str = "attacks", complete: bool = False) -> float:
    """Mean per month over the months ``first`` to ``last``: the figures' total / the months they cover.

    A two-month figure inside the run counts as its total over two months. Refuses a figure cut by
    the run's edge; with ``complete`` also refuses a run in which any month has no figure.
    """
    figures = figures_within(frame, first, last, measure=measure)
    lo, hi = _month(first), _month(last)
    wanted = (hi - lo).n + 1
    if complete and int(figures["months"].sum()) != wanted:
        have = {m for r in figures.itertuples() for m in pd.period_range(r.month_start, r.month_end, freq="M")}
        gaps = [f"{m:%b %Y}" for m in pd.period_range(lo, hi, freq="M") if m not in have]
        raise ValueError(
            f"mean_per_month: {_run_text(lo, hi)} has no figure for {', '.join(gaps)}; "
            "a partial run is not averaged as if it were complete"
        )
    return _mean(figures)


def mean_a_month_by_year(frame: pd.DataFrame, *, measure: str = "attacks", full_years_only: bool = True) -> pd.Series:
    """Mean per month in each calendar year: the year's figures' total / the months they cover.

    A figure counts in the year its first month falls in, whole (the Aug–Sep 2022 figure counts
    as its total over two months, never split). With ``full_years_only`` (the default) only the
    years whose figures cover all twelve months are kept, so a partly covered first or last year
    is not set beside whole ones. Returns a Series indexed by year (named ``year``).
    """
    series = _as_series(frame, measure, "mean_a_month_by_year")
    year = series["month_start"].dt.year.rename("year")
    totals = series.assign(value=series["value"].astype("Float64")).groupby(year)[["value", "months"]].sum()
    if full_years_only:
        totals = totals[totals["months"] == 12]
    return (totals["value"] / totals["months"]).astype(float).rename("mean_a_month")


def rolling_mean(frame: pd.DataFrame, months: int = 3, *, measure: str = "attacks") -> pd.DataFrame:
    """complete_months() with a trailing mean over ``months`` months (column ``rolling_mean``).

    The mean for a month is the total of the figures lying wholly inside the trailing window
    divided by ``months``. It is left empty when those figures do not cover every month of the
    window, or when the window would cut a multi-month figure.
    """
    if months < 1:
        raise ValueError(f"rolling_mean: months must be at least 1, not {months}")
    series = _as_series(frame, measure, "rolling_mean")
    grid = complete_months(series)
    means = []
    for m in grid["month"].dt.to_period("M"):
        inside, cut = _split_run(series, m - (months - 1), m)
        means.append(_mean(inside) if cut.empty and int(inside["months"].sum()) == months else pd.NA)
    grid["rolling_mean"] = pd.array(means, dtype="Float64")
    return grid


# --------------------------------------------------------------------------- before and after an event


def window_months(start, end=None, months_before: int = 3, months_after: int = 3) -> pd.DataFrame:
    """The calendar months of a before/after window, each with its period and coverage.

    A month is DURING the event (start to end, inclusive) when the event covers at least half of
    its days (``coverage`` >= 0.5). An event too short for that (one day, a two-day truce) has no
    such month, so the month that contains its start is the EVENT_MONTH. BEFORE is the
    ``months_before`` months just before the first during/event month, AFTER the
    ``months_after`` months just after the last. Columns: month, period, coverage.
    """
    start = pd.Timestamp(start)
    end = pd.Timestamp(end) if end is not None and not pd.isna(end) else start
    if end < start:
        raise ValueError(f"window_months: end {end:%Y-%m-%d} is before start {start:%Y-%m-%d}")
    if months_before < 0 or months_after < 0:
        raise ValueError("window_months: months_before and months_after cannot be negative")

    def coverage(m: pd.Period) -> float:
        lo, hi = max(m.start_time, start), min(m.end_time.normalize(), end)
        return max((hi - lo).days + 1, 0) / m.days_in_month

    event = pd.period_range(start.to_period("M"), end.to_period("M"), freq="M")
    during = [m for m in event if coverage(m) >= 0.5]
    label = DURING if during else EVENT_MONTH
    lo, hi = (min(during), max(during)) if during else (event[0], event[0])
    months = (
        [(lo - k, BEFORE) for k in range(months_before, 0, -1)]
        + [(m, label) for m in pd.period_range(lo, hi, freq="M")]
        + [(hi + k, AFTER) for k in range(1, months_after + 1)]
    )
    return pd.DataFrame(
        {
            "month": [m.to_timestamp() for m, _ in months],
            "period": [p for _, p in months],
            "coverage": [round(coverage(m), 3) for m, _ in months],
        }
    )


def _window_text(start, end, months: pd.DataFrame) -> str:
    start = pd.Timestamp(start)
    event = f"{start:%d %b %Y}" if end is None or pd.isna(end) else f"{start:%d %b %Y} to {pd.Timestamp(end):%d %b %Y}"
    first, last = months["month"].min(), months["month"].max()
    return f"the window around {event} ({first:%b %Y}–{last:%b %Y})"


def window_around(
    frame: pd.DataFrame,
    start,
    end=None,
    months_before: int = 3,
    months_after: int = 3,
    *,
    measure: str = "attacks",
    cut: str = "raise",
) -> pd.DataFrame:
    """The figures in a before/after window (see window_months), each labelled with its period.

    Returns monthly_series rows plus ``period``; months without a figure are simply absent. A
    multi-month figure wholly inside one period is kept whole. One that a period's edge cuts
    raises ValueError naming the window and the figure, or with ``cut="leave out"`` is left
    out and named in ``result.attrs["left_out"]``.
    """
    _check_cut(cut)
    series = _as_series(frame, measure, "window_around")
    months = window_months(start, end, months_before, months_after)
    parts, left_out = [], []
    for period, rows in months.groupby("period", sort=False):
        lo, hi = rows["month"].min().to_period("M"), rows["month"].max().to_period("M")
        inside, cut_rows = _split_run(series, lo, hi)
        if len(cut_rows) and cut == "raise":
            raise ValueError(
                f"window_around: {_window_text(start, end, months)}: the {period} period "
                f"({_run_text(lo, hi)}) would cut the figure for {cut_rows.iloc[0]['label']}, which "
                "cannot be split between its months; choose a window that holds all of it in one "
                "period, or pass cut='leave out'"
            )
        left_out += [label for label in cut_rows["label"] if label not in left_out]
        parts.append(inside.assign(period=period))
    out = pd.concat(parts).sort_values("month_start", kind="stable").reset_index(drop=True)
    out.attrs["left_out"] = left_out
    return out


def before_after(
    frame: pd.DataFrame,
    start,
    end=None,
    months_before: int = 3,
    months_after: int = 3,
    *,
    measure: str = "attacks",
    cut: str = "raise",
) -> pd.DataFrame:
    """Mean per month before, during (or in the event month) and after an event.

    One row per period: period, first_month, last_month (the months asked for), months (months
    with a figure), mean (their figures' total / months, as in mean_per_month), span (the
    months behind the mean, "no data" if none) and left_out (figures cut by the window and left
    out, when ``cut="leave out"``; the default refuses them, see window_around).
    """
    months = window_months(start, end, months_before, months_after)
    figures = window_around(frame, start, end, months_before, months_after, measure=measure, cut=cut)
    left_out = "; ".join(figures.attrs.get("left_out", []))
    rows = []
    for period, asked in months.groupby("period", sort=False):
        part = figures[figures["period"] == period]
        rows.append(
            {
                "period": period,
                "first_month": asked["month"].min(),
                "last_month": asked["month"].max(),
                "months": int(part["months"].sum()),
                "mean": _mean(part),
                "span": (
                    _run_text(part["month_start"].min().to_period("M"), part["month_end"].max().to_period("M"))
                    if len(part)
                    else "no data"
                ),
                "left_out": left_out,
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- drawing the convention


def _figures_of(frame: pd.DataFrame) -> pd.DataFrame:
    """Figures (monthly_series form) from a monthly series or from complete_months()/rolling_mean()."""
    if "figure_label" in frame.columns:
        rows = frame[frame["status"] == MULTI_MONTH].drop_duplicates("figure_label")
        return pd.DataFrame(
            {
                "month_start": rows["figure_start"],
                "month_end": rows["figure_end"],
                "months": rows["figure_months"],
                "value": rows["figure_value"],
                "per_month": rows["per_month"],
                "period": rows["figure_period"],
                "label": rows["figure_label"],
                "source_id": rows["source_id"],
            }
        )
    return frame


def span_marks(
    frame: pd.DataFrame, *, y_title: str, x_title: str = "Month", mark: str = "rule", colour: str | None = None
):
    """An Altair layer drawing each multi-month figure as one mark across its months.

    ``frame`` is a monthly_series() or complete_months() result. ``mark="rule"`` draws a thick
    dashed segment (for line charts), ``mark="bar"`` one bar (for bar charts), at the height of
    ``per_month``, with a short text ("Aug–Sep 2022, one figure") at the top of the plot above
    it and a tooltip that gives the figure as published and says the height is a derived average.
    """
    import altair as alt

    from ttpbook.charts import NEUTRAL, inline_data, source_tooltip  # here, not at the top: charts imports this module

    colour = colour or NEUTRAL
    figures = _figures_of(frame)
    figures = figures[figures["months"].astype(int) > 1]
    data = pd.DataFrame(
        {
            "month_start": figures["month_start"],
            "month_end": figures["month_end"],
            "per_month": figures["per_month"].astype("Float64"),
            "value": figures["value"],
            "months": figures["months"],
            "label": figures["label"],
            "text": figures["period"].astype(str) + ", one figure",
            "source_id": figures["source_id"] if "source_id" in figures else "",
        }
    )
    x = alt.X("month_start:T", title=x_title)
    y = alt.Y("per_month:Q", title=y_title)
    tooltip = [
        alt.Tooltip("label:N", title="Figure"),
        alt.Tooltip("value:Q", title="As published, for all its months", format=","),
        alt.Tooltip("per_month:Q", title="Average a month (derived, not reported)", format=".1f"),
        source_tooltip("source_id"),
    ]
    base = alt.Chart(inline_data(data))
    if mark == "bar":  # a rectangle from zero, so the y scale is not padded below zero as for a sideways bar
        shape = base.mark_rect(color=colour, opacity=0.45, stroke=colour, strokeDash=[4, 2]).encode(
            x=x, x2="month_end:T", y=y, y2=alt.datum(0), tooltip=tooltip
        )
    elif mark == "rule":
        shape = base.mark_rule(color=colour, strokeWidth=3, strokeDash=[6, 3]).encode(
            x=x, x2="month_end:T", y=y, tooltip=tooltip
        )
    else:
        raise ValueError(f"span_marks: mark must be 'rule' or 'bar', not {mark!r}")
    # The label sits at the top of the plot, above its mark, so it never lies over the data.
    # The label starts at the figure's first month and runs right, so it never reaches back over
    # the y axis's labels, however narrow the chart.
    text = base.mark_text(baseline="top", align="left", dy=2, fontSize=11).encode(
        x=alt.X("month_start:T", title=x_title), y=alt.value(0), text="text:N", tooltip=tooltip
    )
    return alt.layer(shape, text)
