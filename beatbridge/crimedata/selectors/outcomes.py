"""What happened next: a neighbourhood's crimes by their latest outcome, from the rollup.

Read from ``OutcomeMonthlyCount``, never from incidents. An outcome belongs to the month
of its crime, so the crimes of a window keep their place while outcomes files change
what is recorded of them. police.uk gives no outcome for anti-social behaviour, so its
incidents are counted apart rather than as crimes with no outcome.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Sum

from beatbridge.crimedata.categories import CrimeCategory, OutcomeCategory
from beatbridge.crimedata.models import OutcomeMonthlyCount
from beatbridge.crimedata.selectors.counts import outcome_name
from beatbridge.places.models import Neighbourhood

_ANTI_SOCIAL_BEHAVIOUR = str(CrimeCategory.ANTI_SOCIAL_BEHAVIOUR.value)
_OUTCOME_ORDER = {str(outcome.value): index for index, outcome in enumerate(OutcomeCategory)}


@dataclass(frozen=True)
class OutcomeCount:
    """Crimes whose latest outcome is ``outcome``, and their share of all the crimes."""

    outcome: str
    crimes: int
    # Of every crime in the window (those without an outcome given included), 0 to 100.
    share: float

    @property
    def name(self) -> str:
        return outcome_name(self.outcome)


@dataclass(frozen=True)
class OutcomeSummary:
    """A neighbourhood's crimes over a window by latest outcome; see ``outcome_summary``."""

    outcomes: tuple[OutcomeCount, ...]
    crimes: int
    # Crimes (not anti-social behaviour) for which the source gives no outcome.
    without_outcome: int
    anti_social_behaviour: int
    # (category, outcome or "", incidents), anti-social behaviour included: the download.
    by_category: tuple[tuple[str, str, int], ...]

    @property
    def without_outcome_share(self) -> float:
        return _share(self.without_outcome, self.crimes)


def outcome_summary(
    neighbourhood: Neighbourhood,
    *,
    first_month: datetime.date,
    last_month: datetime.date,
    category: str | None = None,
) -> OutcomeSummary:
    """The crimes of the months (of ``category``, or all) by latest outcome, most first
    (ties in police.uk's order). One query.

    Shares are of every crime counted, anti-social behaviour left out: it is never given
    an outcome, and is counted on its own.
    """
    counts = OutcomeMonthlyCount.objects.filter(
        neighbourhood=neighbourhood, month__gte=first_month, month__lte=last_month
    )
    if category is not None:
        counts = counts.filter(category=category)
    rows = [
        (row["category"], row["outcome"], row["total"])
        for row in counts.values("category", "outcome").annotate(total=Sum("incidents")).order_by()
    ]
    by_outcome: dict[str, int] = defaultdict(int)
    without = anti_social = 0
    for row_category, outcome, incidents in rows:
        if row_category == _ANTI_SOCIAL_BEHAVIOUR:
            anti_social += incidents
        elif outcome:
            by_outcome[outcome] += incidents
        else:
            without += incidents
    crimes = sum(by_outcome.values()) + without
    ordered = sorted(
        by_outcome.items(),
        key=lambda item: (-item[1], _OUTCOME_ORDER.get(item[0], len(_OUTCOME_ORDER))),
    )
    return OutcomeSummary(
        outcomes=tuple(
            OutcomeCount(outcome, incidents, _share(incidents, crimes))
            for outcome, incidents in ordered
        ),
        crimes=crimes,
        without_outcome=without,
        anti_social_behaviour=anti_social,
        by_category=tuple(sorted(rows)),
    )


def _share(part: int, whole: int) -> float:
    return part * 100 / whole if whole else 0.0
