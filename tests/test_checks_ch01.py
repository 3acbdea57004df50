"""The chapter-1 exercise check accepts the right answer and hints at a wrong one."""
from ttpbook.checks import ch01


def test_right_answer_passes(capsys):
    truth = ch01.busiest_month(2023)
    assert ch01.check_busiest_month_2023(f"{truth:%Y-%m}") is True
    assert capsys.readouterr().out.startswith("Correct")


def test_wrong_answers_get_a_hint_not_the_answer(capsys):
    truth = ch01.busiest_month(2023)
    wrong = "2023-01" if truth.month != 1 else "2023-02"
    assert ch01.check_busiest_month_2023(wrong) is False
    out = capsys.readouterr().out
    assert out.startswith("Not yet") and f"{truth:%B}" not in out
    assert ch01.check_busiest_month_2023(None) is False
    assert ch01.check_busiest_month_2023("2022-08") is False
    assert ch01.check_busiest_month_2023("not a month") is False


def test_a_two_month_row_is_never_the_busiest_month():
    # PICSS gave August and September 2022 as one figure (73), larger than any single month.
    month = ch01.busiest_month(2022)
    assert (month.year, month.month) != (2022, 8)
