"""Public pages: find a neighbourhood (by name, location or map), a force, a neighbourhood.

Everything here is public data, so every page is open to everyone. Views parse
input, call selectors and render; an unknown force or neighbourhood is a 404 page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.html import escape
from django.utils.translation import get_language

from beatbridge.accounts.selectors import current_team_for, senior_officers_of
from beatbridge.errors import NotFound
from beatbridge.notify.selectors import follow_of_neighbourhood
from beatbridge.places.forms import LocateForm, SearchForm
from beatbridge.places.models import Force, Neighbourhood, Sector, fold_for_search
from beatbridge.places.selectors import (
    get_force,
    get_neighbourhood,
    list_forces,
    locate_neighbourhood_ref,
    neighbourhoods_of,
    neighbours_of,
    public_content_version,
    search_neighbourhoods,
)
from beatbridge.problems.selectors import published_for
from beatbridge.web.maps import map_settings
from beatbridge.web.translation import localise

# Enough to scan on a phone; a longer list means the query should be longer.
SEARCH_RESULT_LIMIT = 50
# A backstop: every write to what the page shows replaces the content version at once.
NEIGHBOURHOOD_PAGE_TIMEOUT = 10 * 60
# Placeholders in a page cached for every anonymous visitor; no rendered text holds a NUL.
_CSRF_TOKEN_HOLE = "\x00csrf-token\x00"  # noqa: S105 (a placeholder, not a secret)
_NEXT_PATH_HOLE = "\x00next-path\x00"
# What the shared anonymous copy is rendered with, whoever asked for it.
_NOBODY = {
    "user": AnonymousUser(),
    "messages": (),
    "csrf_token": _CSRF_TOKEN_HOLE,
    "next_path": _NEXT_PATH_HOLE,
}
_SAFE_LINK_SCHEMES = ("https://", "http://", "mailto:", "tel:")


@dataclass
class SectorGroup:
    """A sector and its neighbourhoods; sector is None for neighbourhoods outside any."""

    sector: Sector | None
    neighbourhoods: list[Neighbourhood] = field(default_factory=list)


def home(request: HttpRequest) -> HttpResponse:
    """Find your neighbourhood: by name, by location (script-offered) or on the map."""
    forces = list(list_forces())
    # Most deployments serve one force; with several, each force page has its own map.
    map_force = forces[0] if len(forces) == 1 else None
    context = {
        "form": SearchForm(),
        "forces": forces,
        "map_force": map_force,
        "map": _map_settings(),
    }
    if map_force is not None:
        context["boundaries_url"] = _boundaries_url(map_force)
    return render(request, "places/home.html", context)


def search(request: HttpRequest) -> HttpResponse:
    """Neighbourhoods by name; as a fragment for htmx's live search, else the full page.

    A full-page search whose only match is exactly the name typed goes straight to it.
    """
    is_fragment = request.headers.get("HX-Request") == "true"
    form = SearchForm(request.GET or None)
    results: list[Neighbourhood] | None = None
    if form.is_valid():
        query = form.cleaned_data["q"]
        results = list(search_neighbourhoods(query)[: SEARCH_RESULT_LIMIT + 1])
        if (
            not is_fragment
            and len(results) == 1
            and results[0].search_name == fold_for_search(query)
        ):
            return redirect(_neighbourhood_url(results[0]))
    context = {
        "form": form,
        "results": results[:SEARCH_RESULT_LIMIT] if results is not None else None,
        "more_results": results is not None and len(results) > SEARCH_RESULT_LIMIT,
        "result_limit": SEARCH_RESULT_LIMIT,
        "is_fragment": is_fragment,
    }
    template = "places/_search_results.html" if is_fragment else "places/search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def locate(request: HttpRequest) -> HttpResponse:
    """Go to the neighbourhood containing a point; 400 for a bad point, 404 outside them all."""
    if not request.GET:
        return render(request, "places/locate.html", {"form": LocateForm()})
    form = LocateForm(request.GET)
    if not form.is_valid():
        return render(request, "places/locate.html", {"form": form}, status=400)
    found = locate_neighbourhood_ref(form.cleaned_data["latitude"], form.cleaned_data["longitude"])
    if found is None:
        context = {"form": form, "not_found": True, "search_form": SearchForm()}
        return render(request, "places/locate.html", context, status=404)
    return redirect("places:neighbourhood", force=found.force_slug, code=found.code)


def force_detail(request: HttpRequest, force: str) -> HttpResponse:
    """A force: contacts, senior officers and every neighbourhood, grouped by sector."""
    try:
        found = get_force(force)
    except NotFound as error:
        raise Http404(error.message) from None
    context = {
        "force": found,
        "engagement_methods": _linkable_engagement_methods(found),
        "senior_officers": list(senior_officers_of(found.pk)),
        "sector_groups": _group_by_sector(neighbourhoods_of(found)),
        "boundaries_url": _boundaries_url(found),
        "map": _map_settings(),
    }
    return render(request, "places/force.html", context)


def neighbourhood_detail(request: HttpRequest, force: str, code: str) -> HttpResponse:
    """A neighbourhood: its boundary, current team, contacts, languages and neighbours.

    All but the site's header is the same for every visitor, so it is rendered once per
    language and day (teams change by date) and kept in the shared cache until public
    content changes (``public_content_version``) or it expires. An anonymous visitor
    with no messages waiting gets the whole page from the cache, with only the
    language form's CSRF token and return path filled in.
    """
    key = _neighbourhood_cache_key(force, code)
    place = {"force_slug": force, "neighbourhood_code": code}
    if request.user.is_authenticated or len(get_messages(request)):
        parts = _neighbourhood_parts(request, force, code, key)
        follow = _follow_of(request.user, force, code)
        return render(request, "places/neighbourhood.html", {**parts, **place, "follow": follow})
    html = cache.get(f"{key}:anonymous")
    if html is None:
        parts = _neighbourhood_parts(request, force, code, key)
        html = render_to_string("places/neighbourhood.html", {**parts, **place, **_NOBODY}, request)
        cache.set(f"{key}:anonymous", html, NEIGHBOURHOOD_PAGE_TIMEOUT)
    html = html.replace(_CSRF_TOKEN_HOLE, get_token(request))
    return HttpResponse(html.replace(_NEXT_PATH_HOLE, escape(request.get_full_path())))


def _follow_of(user: Any, force: str, code: str) -> Any:
    """The signed-in person's follow of the neighbourhood, for its Follow button."""
    if not user.is_authenticated:
        return None
    return follow_of_neighbourhood(user, get_neighbourhood(force, code))


def _neighbourhood_parts(request: HttpRequest, force: str, code: str, key: str) -> dict[str, str]:
    parts = cache.get(key)
    if parts is None:
        parts = _render_neighbourhood(request, force, code)
        cache.set(key, parts, NEIGHBOURHOOD_PAGE_TIMEOUT)
    return parts


def _neighbourhood_cache_key(force: str, code: str) -> str:
    # Hashed: a code may hold characters a cache key must not.
    place = hashlib.sha256(f"{force.lower()}\n{code}".encode()).hexdigest()
    version = public_content_version()
    # The script prefix is in the links the content holds.
    prefix = hashlib.sha256(get_script_prefix().encode()).hexdigest()[:12]
    day = timezone.localdate()
    return f"places:neighbourhood-page:{version}:{get_language()}:{day}:{prefix}:{place}"


def _render_neighbourhood(request: HttpRequest, force: str, code: str) -> dict[str, str]:
    """The neighbourhood page's main content as HTML, with the names its title needs.

    The content stays a SafeString through the cache's pickling, so it is not escaped again.
    """
    try:
        neighbourhood = get_neighbourhood(force, code)
    except NotFound as error:
        raise Http404(error.message) from None
    context = {
        "neighbourhood": neighbourhood,
        "force": neighbourhood.force,
        "team": current_team_for(neighbourhood.pk),
        "neighbours": neighbours_of(neighbourhood),
        # Published problem-solving summaries: publishing one changes the content version.
        "problem_projects": localise(published_for(neighbourhood), "public_summary"),
        "boundary_url": reverse(
            "api:v1-neighbourhood-boundary",
            kwargs={"force": neighbourhood.force.slug, "code": neighbourhood.code},
        ),
        "map": _map_settings(),
    }
    return {
        "name": neighbourhood.name,
        "force_name": neighbourhood.force.name,
        "content": render_to_string("places/_neighbourhood.html", context, request),
    }


def _neighbourhood_url(neighbourhood: Neighbourhood) -> str:
    return reverse(
        "places:neighbourhood",
        kwargs={"force": neighbourhood.force.slug, "code": neighbourhood.code},
    )


def _boundaries_url(force: Force) -> str:
    return reverse("api:v1-boundaries", kwargs={"force": force.slug})


def _map_settings() -> dict[str, str]:
    """The map settings with a link pattern for features."""
    # The script swaps these placeholders for a feature's force and id.
    return map_settings(
        neighbourhood_url=reverse(
            "places:neighbourhood", kwargs={"force": "__force__", "code": "ID__"}
        )
    )


def _group_by_sector(neighbourhoods: Iterable[Neighbourhood]) -> list[SectorGroup]:
    """Neighbourhoods (in name order) grouped by sector, sectors by name, the unsectored last."""
    groups: dict[int | None, SectorGroup] = {}
    for neighbourhood in neighbourhoods:
        group = groups.setdefault(neighbourhood.sector_id, SectorGroup(neighbourhood.sector))
        group.neighbourhoods.append(neighbourhood)
    return sorted(
        groups.values(),
        key=lambda group: (group.sector is None, group.sector.name if group.sector else ""),
    )


def _linkable_engagement_methods(force: Force) -> list[dict[str, str]]:
    """The force's engagement methods, with a URL only where it is web, e-mail or telephone.

    The list is free-form JSON entered by staff; a link with any other scheme is dropped
    rather than rendered as a possibly script-bearing href.
    """
    methods = []
    for method in force.engagement_methods:
        if not isinstance(method, dict):
            continue
        url = str(method.get("url") or "")
        methods.append(
            {
                "title": str(method.get("title") or method.get("type") or url),
                "description": str(method.get("description") or ""),
                "url": url if url.startswith(_SAFE_LINK_SCHEMES) else "",
            }
        )
    return methods
