"""The cron check names the field that is wrong, and agrees with croniter on what is valid."""

from __future__ import annotations

from croniter import croniter
from hypothesis import given
from hypothesis import strategies as st

from config.cron import FIELDS, cron_problem


def _term(low: int, high: int) -> st.SearchStrategy[str]:
    number = st.integers(low, high)
    ranged = st.tuples(number, number).map(sorted).map(lambda p: f"{p[0]}-{p[1]}")
    step = st.integers(1, 10)
    return st.one_of(st.just("*"), number.map(str), ranged,
                     st.tuples(st.sampled_from(["*"]), step).map(lambda t: f"{t[0]}/{t[1]}"))


valid = st.tuples(*(st.lists(_term(f.low, f.high), min_size=1, max_size=3).map(",".join)
                    for f in FIELDS)).map(" ".join)


@given(valid)
def test_valid_expressions_pass_and_croniter_agrees(expression: str) -> None:
    assert cron_problem(expression) is None
    assert croniter.is_valid(expression)


@given(st.sampled_from(range(len(FIELDS))), st.integers(60, 999))
def test_an_out_of_range_number_names_its_field(index: int, number: int) -> None:
    parts = ["0", "0", "1", "1", "0"]
    parts[index] = str(number)
    field = FIELDS[index]
    assert cron_problem(" ".join(parts)) == (
        f"{field.name} {number} is out of range {field.low}-{field.high}")


def test_names_are_accepted_where_cron_has_them() -> None:
    assert cron_problem("30 6 * jan-mar mon-fri") is None
    assert cron_problem("0 0 * * funday") == (
        "day of week 'funday' is not a number or sun, mon, tue, wed, thu, fri, sat")
