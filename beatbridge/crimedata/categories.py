"""police.uk's crime and outcome categories, and the names its CSV files use for them.

The ids (``violent-crime``, ``no-further-action``) are police.uk's, so the API speaks
them unchanged. Names are translatable for pages; the police.uk endpoints give them
in English, as police.uk does.
"""

from __future__ import annotations

import datetime
import functools

from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class CrimeCategory(models.TextChoices):
    ANTI_SOCIAL_BEHAVIOUR = "anti-social-behaviour", _("Anti-social behaviour")
    BICYCLE_THEFT = "bicycle-theft", _("Bicycle theft")
    BURGLARY = "burglary", _("Burglary")
    CRIMINAL_DAMAGE_ARSON = "criminal-damage-arson", _("Criminal damage and arson")
    DRUGS = "drugs", _("Drugs")
    OTHER_THEFT = "other-theft", _("Other theft")
    POSSESSION_OF_WEAPONS = "possession-of-weapons", _("Possession of weapons")
    PUBLIC_ORDER = "public-order", _("Public order")
    ROBBERY = "robbery", _("Robbery")
    SHOPLIFTING = "shoplifting", _("Shoplifting")
    THEFT_FROM_THE_PERSON = "theft-from-the-person", _("Theft from the person")
    VEHICLE_CRIME = "vehicle-crime", _("Vehicle crime")
    VIOLENT_CRIME = "violent-crime", _("Violence and sexual offences")
    OTHER_CRIME = "other-crime", _("Other crime")
    # Until April 2013 police.uk published these two in place of public order and
    # possession of weapons.
    PUBLIC_DISORDER_WEAPONS = "public-disorder-weapons", _("Public disorder and weapons")


# The id police.uk's API uses for every category at once.
ALL_CRIME = "all-crime"
ALL_CRIME_LABEL = _("All crime")

# The "Crime type" column of a street-level file, as police.uk has written it over the years.
_CRIME_TYPE_NAMES = {
    "Anti-social behaviour": CrimeCategory.ANTI_SOCIAL_BEHAVIOUR,
    "Bicycle theft": CrimeCategory.BICYCLE_THEFT,
    "Burglary": CrimeCategory.BURGLARY,
    "Criminal damage and arson": CrimeCategory.CRIMINAL_DAMAGE_ARSON,
    "Drugs": CrimeCategory.DRUGS,
    "Other theft": CrimeCategory.OTHER_THEFT,
    "Possession of weapons": CrimeCategory.POSSESSION_OF_WEAPONS,
    "Public order": CrimeCategory.PUBLIC_ORDER,
    "Robbery": CrimeCategory.ROBBERY,
    "Shoplifting": CrimeCategory.SHOPLIFTING,
    "Theft from the person": CrimeCategory.THEFT_FROM_THE_PERSON,
    "Vehicle crime": CrimeCategory.VEHICLE_CRIME,
    "Violence and sexual offences": CrimeCategory.VIOLENT_CRIME,
    "Violent crime": CrimeCategory.VIOLENT_CRIME,
    "Other crime": CrimeCategory.OTHER_CRIME,
    "Public disorder and weapons": CrimeCategory.PUBLIC_DISORDER_WEAPONS,
}
CRIME_TYPES: dict[str, str] = {name: str(c.value) for name, c in _CRIME_TYPE_NAMES.items()}

# The month police.uk split "public disorder and weapons" and began the theft categories.
_SPLIT_MONTH = datetime.date(2013, 5, 1)
_BEFORE_SPLIT_ONLY = {CrimeCategory.PUBLIC_DISORDER_WEAPONS}
_FROM_SPLIT_ONLY = {
    CrimeCategory.POSSESSION_OF_WEAPONS,
    CrimeCategory.PUBLIC_ORDER,
    CrimeCategory.BICYCLE_THEFT,
    CrimeCategory.SHOPLIFTING,
    CrimeCategory.THEFT_FROM_THE_PERSON,
}


def categories_in_use(month: datetime.date) -> list[CrimeCategory]:
    """The categories police.uk published for ``month``, in its order."""
    hidden = _FROM_SPLIT_ONLY if month < _SPLIT_MONTH else _BEFORE_SPLIT_ONLY
    return [category for category in CrimeCategory if category not in hidden]


class OutcomeCategory(models.TextChoices):
    AWAITING_COURT_RESULT = "awaiting-court-result", _("Awaiting court outcome")
    COURT_RESULT_UNAVAILABLE = "court-result-unavailable", _("Court result unavailable")
    UNABLE_TO_PROCEED = "unable-to-proceed", _("Court case unable to proceed")
    LOCAL_RESOLUTION = "local-resolution", _("Local resolution")
    NO_FURTHER_ACTION = "no-further-action", _("Investigation complete; no suspect identified")
    DEPRIVED_OF_PROPERTY = "deprived-of-property", _("Offender deprived of property")
    FINED = "fined", _("Offender fined")
    ABSOLUTE_DISCHARGE = "absolute-discharge", _("Offender given absolute discharge")
    CAUTIONED = "cautioned", _("Offender given a caution")
    DRUGS_POSSESSION_WARNING = (
        "drugs-possession-warning",
        _("Offender given a drugs possession warning"),
    )
    PENALTY_NOTICE_ISSUED = "penalty-notice-issued", _("Offender given a penalty notice")
    COMMUNITY_PENALTY = "community-penalty", _("Offender given community sentence")
    CONDITIONAL_DISCHARGE = "conditional-discharge", _("Offender given conditional discharge")
    SUSPENDED_SENTENCE = "suspended-sentence", _("Offender given suspended prison sentence")
    IMPRISONED = "imprisoned", _("Offender sent to prison")
    OTHER_COURT_DISPOSAL = "other-court-disposal", _("Offender otherwise dealt with")
    COMPENSATION = "compensation", _("Offender ordered to pay compensation")
    SENTENCED_IN_ANOTHER_CASE = (
        "sentenced-in-another-case",
        _("Suspect charged as part of another case"),
    )
    CHARGED = "charged", _("Suspect charged")
    NOT_GUILTY = "not-guilty", _("Defendant found not guilty")
    SENT_TO_CROWN_COURT = "sent-to-crown-court", _("Defendant sent to Crown Court")
    UNABLE_TO_PROSECUTE = "unable-to-prosecute", _("Unable to prosecute suspect")
    FORMAL_ACTION_NOT_IN_PUBLIC_INTEREST = (
        "formal-action-not-in-public-interest",
        _("Formal action is not in the public interest"),
    )
    ACTION_TAKEN_BY_ANOTHER_ORGANISATION = (
        "action-taken-by-another-organisation",
        _("Action to be taken by another organisation"),
    )
    FURTHER_INVESTIGATION_NOT_IN_PUBLIC_INTEREST = (
        "further-investigation-not-in-public-interest",
        _("Further investigation is not in the public interest"),
    )
    FURTHER_ACTION_NOT_IN_PUBLIC_INTEREST = (
        "further-action-not-in-public-interest",
        _("Further action is not in the public interest"),
    )
    UNDER_INVESTIGATION = "under-investigation", _("Under investigation")
    STATUS_UPDATE_UNAVAILABLE = "status-update-unavailable", _("Status update unavailable")


# Outcome names older police.uk files use beside each category's own English name.
_OUTCOME_VARIANTS = {
    "Offender given penalty notice": OutcomeCategory.PENALTY_NOTICE_ISSUED,
    "Awaiting court result": OutcomeCategory.AWAITING_COURT_RESULT,
}


def english_name(choice: models.TextChoices) -> str:
    """A category's name as police.uk writes it, whatever language is active."""
    with translation.override(None):
        return str(choice.label)


@functools.cache
def outcome_types() -> dict[str, str]:
    """The "Last outcome category" and "Outcome type" names of police.uk's files, to ids."""
    return {
        **{english_name(category): str(category.value) for category in OutcomeCategory},
        **{name: str(category.value) for name, category in _OUTCOME_VARIANTS.items()},
    }
