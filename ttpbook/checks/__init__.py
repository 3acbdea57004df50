"""Check functions for the book's coding exercises, one module per chapter (ch01.py ...).

Every check is built on one helper, :func:`check_answer`, and speaks the same way:

* no answer yet (``None``): ``Not yet. Set `answer` to <what is wanted>, such as <example> ...``
* an answer of the wrong kind: ``Not yet. I could not read <what was given> as <what is wanted> ...``
* a known wrong answer (averaging rows instead of months, a swapped pair ...): ``Not yet. <its hint>``
* the right answer: ``Correct: <what it means>``
* anything else: ``Not yet. <the general hint>``

A hint points to the method and never states the answer. Each check returns True or False.
The kinds of answer are :data:`NUMBER` (with a tolerance), :data:`SHARE` (0-1 or a percentage),
:data:`MONTH` ('YYYY-MM', a month name with a year, a Timestamp ...) and :func:`pair` (two
numbers). Instructors who change an exercise change its check here; ``tests/test_checks.py``
holds the right answer, each known wrong answer, ``None`` and a wrong kind for every check.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "Kind",
    "Wrong",
    "NUMBER",
    "SHARE",
    "MONTH",
    "pair",
    "number",
    "check_answer",
    "feedback",
    "as_number",
    "as_share",
    "as_month",
]


# --- reading answers ----------------------------------------------------------------------------


def as_number(answer) -> float | None:
    """The answer as a number (NaN included, so that it can be named), or None. A bool is not a
    number here: True is not one attack."""
    if isinstance(answer, (bool, np.bool_)) or answer is None:
        return None
    try:
        return float(answer)
    except (TypeError, ValueError):
        return None


def as_share(answer) -> float | None:
    """A share given as a fraction (0.27) or a percentage (27 or '27%'), as a fraction; else None."""
    if isinstance(answer, str) and answer.strip().endswith("%"):
        value = as_number(answer.strip()[:-1])
        return None if value is None or not 0 <= value <= 100 else value / 100
    value = as_number(answer)
    if value is not None and math.isnan(value):
        return value
    if value is None or not 0 <= value <= 100:
        return None
    return value / 100 if value > 1 else value


# English month names, spelled out here rather than taken from `calendar`, whose names follow
# the computer's locale.
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_ISO = re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2})(?:[ t]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?)?")
_NAME_YEAR = re.compile(r"([a-z]+)\.?,?\s+(\d{4})")
_YEAR_NAME = re.compile(r"(\d{4}),?\s+([a-z]+)\.?")


def as_month(answer) -> pd.Period | None:
    """The one calendar month an answer names, or None if it does not name exactly one.

    Accepts a pandas Timestamp or Period, a datetime or date, a numpy datetime64, and the
    strings 'YYYY-MM', 'YYYY-MM-DD' (with or without a time) and English month names with a
    year: 'August 2023', 'Aug 2023', '2023 August'. A year on its own, a month without a year
    or a span of several months is not one month.
    """
    if isinstance(answer, pd.Period):
        if answer.start_time.to_period("M") != answer.end_time.to_period("M"):
            return None  # a year, a quarter or a span longer than one month
        return answer.start_time.to_period("M")
    if isinstance(answer, (pd.Timestamp, dt.date, np.datetime64)):
        stamp = pd.Timestamp(answer)
        return None if pd.isna(stamp) else stamp.to_period("M")
    if not isinstance(answer, str):
        return None
    text = " ".join(answer.strip().lower().split())
    if m := _ISO.fullmatch(text):
        year, month, day = int(m[1]), int(m[2]), m[3]
    elif m := _NAME_YEAR.fullmatch(text):
        year, month, day = int(m[2]), _MONTHS.get(m[1]), None
    elif m := _YEAR_NAME.fullmatch(text):
        year, month, day = int(m[1]), _MONTHS.get(m[2]), None
    else:
        return None
    try:
        return pd.Period(dt.date(year, month, int(day or 1)), freq="M")
    except (TypeError, ValueError):  # no such month name, month 13, 31 February ...
        return None


# --- kinds of answer ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """What an answer must be: how to read it, how to describe it and when two values match."""

    what: str  # "a number (attacks per month)"
    example: str  # "71.3"
    form: str  # how to write one: "one number, such as 71.3"
    read: Callable[[Any], Any]  # answer -> value, or None if it cannot be read as this kind
    same: Callable[[Any, Any], bool]  # (given, expected) -> True if they match


def _close(tolerance: float) -> Callable[[float, float], bool]:
    return lambda given, expected: abs(given - expected) <= tolerance + 1e-9


def number(unit: str, example: str = "71.3", tolerance: float = 0.05) -> Kind:
    """A number of ``unit``, matching the expected value within ``tolerance`` (default: one
    decimal place, rounded)."""
    return Kind(f"a number ({unit})", example, f"one number, such as {example}", as_number, _close(tolerance))


NUMBER = number("a count or a mean")
SHARE = Kind(
    "a share",
    "0.25 or 25",
    "a fraction between 0 and 1 (such as 0.25) or a percentage (such as 25)",
    as_share,
    _close(0.005),
)
MONTH = Kind("a month", "'2023-05'", "'YYYY-MM', such as '2023-05'", as_month, lambda a, b: a == b)


def pair(first: str, second: str, unit: str, example: str = "(12.5, 20.0)", tolerance: float = 0.11) -> Kind:
    """Two numbers ``(first, second)``, each matching within ``tolerance``."""

    def read(answer):
        if isinstance(answer, (str, bytes)):
            return None
        try:
            values = tuple(answer)
        except TypeError:
            return None
        if len(values) != 2:
            return None
        numbers = tuple(as_number(v) for v in values)
        return None if None in numbers else numbers

    close = _close(tolerance)
    return Kind(
        f"a pair of two numbers `({first}, {second})` ({unit})",
        example,
        f"two numbers in brackets, `({first}, {second})`, such as {example}",
        read,
        lambda a, b: close(a[0], b[0]) and close(a[1], b[1]),
    )


# --- the one output form ------------------------------------------------------------------------


@dataclass(frozen=True)
class Wrong:
    """A known wrong answer and the hint it earns.

    ``match`` is a value of the exercise's kind (compared as the right answer is, with the same
    tolerance) or a function of the read answer returning True when it applies. ``hint`` is a
    string or a function of the read answer. A hint must not contain the right answer.
    """

    match: Any
    hint: str | Callable[[Any], str]

    def applies(self, given, kind: Kind) -> bool:
        if callable(self.match):
            return bool(self.match(given))
        return kind.same(given, self.match)

    def text(self, given) -> str:
        return self.hint(given) if callable(self.hint) else self.hint


def feedback(ok: bool, right: str, hint: str) -> bool:
    """Print "Correct: <right>" or "Not yet. <hint>" and return ``ok``: the one output form."""
    print(f"Correct: {right}" if ok else f"Not yet. {hint}")
    return ok


def _shown(answer) -> str:
    return repr(answer) if isinstance(answer, str) else f"{answer!r} (type {type(answer).__name__})"


def check_answer(answer, expected, *, kind: Kind, right: str, hint: str, wrong=(), example: str | None = None) -> bool:
    """Check ``answer`` against ``expected`` and print one line in the book's form.

    ``right`` is said after "Correct:"; ``hint`` after "Not yet." when the answer is readable but
    neither right nor a known wrong answer; ``wrong`` is a sequence of :class:`Wrong`, tried in
    order after the right answer. ``example`` overrides the kind's example in the messages.
    """
    example = example or kind.example
    if answer is None:
        return feedback(False, "", f"Set `answer` to {kind.what}, such as {example}, and run the cell again.")
    given = kind.read(answer)
    if given is None:
        form = kind.form if example == kind.example else kind.form.replace(kind.example, example)
        return feedback(False, "", f"I could not read {_shown(answer)} as {kind.what}: write it as {form}.")
    if any(isinstance(v, float) and math.isnan(v) for v in (given if isinstance(given, tuple) else (given,))):
        return feedback(
            False,
            "",
            "Your answer is NaN, pandas' mark for a missing value: check that your "
            "filter keeps some rows before you add them up or average them.",
        )
    if kind.same(given, expected):
        return feedback(True, right, "")
    for known in wrong:
        if known.applies(given, kind):
            return feedback(False, "", known.text(given))
    return feedback(False, "", hint)
