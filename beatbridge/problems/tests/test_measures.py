"""Assessment measures: percentage changes, the difference and Bowers & Johnson's WDQ."""

from __future__ import annotations

import pytest

from beatbridge.problems.measures import Counts, measures


def _by_name(counts: Counts) -> dict[str, object]:
    return {measure.name: measure for measure in measures(counts)}


def test_a_worked_example_with_displacement():
    # R falls 100 -> 50, C is steady 200 -> 200, D rises 40 -> 50.
    counts = Counts(100, 50, 200, 200, 40, 50)
    found = _by_name(counts)

    assert found["Change in the response area"].value == -50.0
    assert found["Change in the comparison area"].value == 0.0
    assert found["Change in the displacement buffer"].value == 25.0
    assert found["Difference against the comparison area"].value == -50.0
    wdq = found["Weighted displacement quotient (WDQ)"]
    # (50/200 - 40/200) / (50/200 - 100/200) = 0.05 / -0.25 = -0.2
    assert wdq.value == pytest.approx(-0.2)
    assert wdq.formula == "(Da/Ca - Db/Cb) / (Ra/Ca - Rb/Cb)"
    assert "(50/200 - 40/200) / (50/200 - 100/200)" in wdq.worked
    assert "displacement" in wdq.meaning.lower()


def test_diffusion_of_benefits_gives_a_positive_wdq():
    counts = Counts(100, 50, 200, 200, 40, 30)

    wdq = _by_name(counts)["Weighted displacement quotient (WDQ)"]

    # (30/200 - 40/200) / (50/200 - 100/200) = -0.05 / -0.25 = 0.2
    assert wdq.value == pytest.approx(0.2)
    assert "diffusion" in wdq.meaning.lower()


def test_no_wdq_when_the_response_area_did_not_do_better():
    counts = Counts(50, 60, 200, 200, 40, 30)

    wdq = _by_name(counts)["Weighted displacement quotient (WDQ)"]

    assert wdq.value is None
    assert "did not do better" in wdq.meaning


def test_no_change_without_incidents_before():
    counts = Counts(0, 5, 0, 3, 0, 0)
    found = _by_name(counts)

    assert found["Change in the response area"].value is None
    assert found["Difference against the comparison area"].value is None
    assert found["Weighted displacement quotient (WDQ)"].value is None
