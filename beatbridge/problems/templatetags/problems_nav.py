"""What the site's navigation asks of problem solving."""

from __future__ import annotations

from typing import Any

from django import template

from beatbridge.partners.permissions import contact_organisation_ids
from beatbridge.problems import selectors

register = template.Library()


@register.filter
def has_problem_projects(user: Any) -> bool:
    """Whether a partner's contact has projects their organisation is invited to."""
    return bool(contact_organisation_ids(user)) and bool(selectors.projects_for(user))
