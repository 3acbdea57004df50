"""Check functions for the book's coding exercises, one module per chapter (ch01.py ...).

Each check takes a student's answer, prints whether it is right and, if not, a hint about
where to look (never the answer itself), and returns True or False. Instructors who change an
exercise change its check here; tests/ hold a right and a wrong answer for each.
"""
from __future__ import annotations




def feedback(ok: bool, right: str, hint: str) -> bool:
    """Print "Correct: ..." or "Not yet. <hint>" and return ``ok``."""
    print(f"Correct: {right}" if ok else f"Not yet. {hint}")
    return ok


def as_number(answer, unit: str) -> float | None:
    """The answer as a number, or None after telling the student what kind of answer is wanted."""
    if answer is None:
        print(f"No answer yet: set `answer` to a number ({unit}) and run the cell again.")
        return None
    try:
        return float(answer)
    except (TypeError, ValueError):
        print(f"Hint: the answer should be one number ({unit}), not {type(answer).__name__}.")
        return None
