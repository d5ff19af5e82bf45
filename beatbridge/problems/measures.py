"""The measures of an assessment, each with its formula and the numbers put into it.

R is the response area, C the comparison area, D the displacement buffer around R;
b counts the "before" period and a the "after" period. The weighted displacement
quotient is Bowers & Johnson's (2003): WDQ = (Da/Ca - Db/Cb) / (Ra/Ca - Rb/Cb). Its
denominator (the success measure) must be negative, the response area having done
better than the comparison area, for the quotient to mean anything.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Counts:
    response_before: int
    response_after: int
    comparison_before: int
    comparison_after: int
    buffer_before: int
    buffer_after: int

    @classmethod
    def from_json(cls, counts: dict[str, list[int]]) -> Counts:
        return cls(
            response_before=counts["response"][0],
            response_after=counts["response"][1],
            comparison_before=counts["comparison"][0],
            comparison_after=counts["comparison"][1],
            buffer_before=counts["buffer"][0],
            buffer_after=counts["buffer"][1],
        )


@dataclass(frozen=True)
class Measure:
    """One figure: its name, value (None when it cannot be computed), formula, the formula
    with the numbers in it, and what the value means."""

    name: str
    value: float | None
    formula: str
    worked: str
    meaning: str


def _percentage_change(name: str, symbol: str, before: int, after: int) -> Measure:
    formula = f"({symbol}a - {symbol}b) / {symbol}b * 100"
    worked = f"({after} - {before}) / {before} * 100"
    if before == 0:
        return Measure(
            name, None, formula, worked, _("No incidents before: a change cannot be given.")
        )
    value = (after - before) / before * 100
    meaning = (
        _("Down by %(percent).1f%%.") % {"percent": -value}
        if value < 0
        else _("Up by %(percent).1f%%.") % {"percent": value}
        if value > 0
        else _("No change.")
    )
    return Measure(name, round(value, 1), formula, f"{worked} = {value:.1f}%", meaning)


def measures(counts: Counts) -> list[Measure]:
    """The percentage changes, the difference against the comparison area and the WDQ."""
    response = _percentage_change(
        _("Change in the response area"), "R", counts.response_before, counts.response_after
    )
    comparison = _percentage_change(
        _("Change in the comparison area"),
        "C",
        counts.comparison_before,
        counts.comparison_after,
    )
    buffer = _percentage_change(
        _("Change in the displacement buffer"), "D", counts.buffer_before, counts.buffer_after
    )
    return [response, comparison, buffer, _difference(response, comparison), _wdq(counts)]


def _difference(response: Measure, comparison: Measure) -> Measure:
    name = _("Difference against the comparison area")
    formula = _("change in R - change in C (percentage points)")
    if response.value is None or comparison.value is None:
        return Measure(name, None, formula, "", _("Needs both changes."))
    value = round(response.value - comparison.value, 1)
    worked = f"{response.value:.1f} - ({comparison.value:.1f}) = {value:.1f}"
    meaning = (
        _("The response area did %(points).1f points better than the comparison area.")
        % {"points": -value}
        if value < 0
        else _("The response area did %(points).1f points worse than the comparison area.")
        % {"points": value}
        if value > 0
        else _("The response area changed as the comparison area did.")
    )
    return Measure(name, value, formula, worked, meaning)


def _wdq(counts: Counts) -> Measure:
    name = _("Weighted displacement quotient (WDQ)")
    formula = "(Da/Ca - Db/Cb) / (Ra/Ca - Rb/Cb)"
    ra, rb = counts.response_after, counts.response_before
    ca, cb = counts.comparison_after, counts.comparison_before
    da, db = counts.buffer_after, counts.buffer_before
    worked = f"({da}/{ca} - {db}/{cb}) / ({ra}/{ca} - {rb}/{cb})"
    if ca == 0 or cb == 0:
        return Measure(
            name,
            None,
            formula,
            worked,
            _("The comparison area needs incidents in both periods for a WDQ."),
        )
    success = ra / ca - rb / cb
    if success >= 0:
        return Measure(
            name,
            None,
            formula,
            worked,
            _(
                "The response area did not do better than the comparison area "
                "(Ra/Ca - Rb/Cb = %(success).3f is not below 0), so there is no benefit "
                "to weigh displacement against."
            )
            % {"success": success},
        )
    # + 0.0 turns a negative zero (no change in the buffer) into a plain one.
    value = (da / ca - db / cb) / success + 0.0
    if value > 1:
        meaning = _("Diffusion of benefits: the buffer improved by more than the response area.")
    elif value > 0:
        meaning = _("Some diffusion of benefits: the buffer improved too.")
    elif value == 0:
        meaning = _("No displacement and no diffusion of benefits.")
    elif value >= -1:
        meaning = _("Some displacement to the buffer, less than the benefit in the response area.")
    else:
        meaning = _("More displacement than benefit: the response was counter-productive overall.")
    return Measure(name, round(value, 3), formula, f"{worked} = {value:.3f}", meaning)
