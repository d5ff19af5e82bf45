"""Reads for places: forces, neighbourhoods, search, neighbours and locating a point."""

from __future__ import annotations

import uuid

import shapely
from django.core.cache import cache
from django.db.models import Case, QuerySet, Value, When
from shapely.geometry import shape

from beatbridge.errors import NotFound
from beatbridge.places.geo import distances_to_boundary, grown_by
from beatbridge.places.models import Force, Neighbourhood, fold_for_search
from beatbridge.places.spatial import NeighbourhoodRef, boundary_index, locate_ref

# The cache key of the token that services.mark_public_content_changed replaces.
PUBLIC_CONTENT_VERSION_KEY = "places:public-content-version"


def public_content_version() -> str:
    """A token that changes whenever what the public pages show of places or teams changes.

    Put it in the cache key of anything rendered from those rows: a write elsewhere
    then reaches every process at once, through the shared cache. An evicted token is
    simply replaced, which only makes every page render afresh.
    """
    version = cache.get(PUBLIC_CONTENT_VERSION_KEY)
    if version is None:
        cache.add(PUBLIC_CONTENT_VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(PUBLIC_CONTENT_VERSION_KEY, uuid.uuid4().hex)
    return version


def list_forces() -> QuerySet[Force]:
    return Force.objects.order_by("name")


def get_force(slug: str) -> Force:
    """The force with this id (case-insensitive, as police.uk); NotFound otherwise."""
    force = Force.objects.filter(slug=slug.lower()).first()
    if force is None:
        raise NotFound(f"No force with the id {slug!r}.", field="force")
    return force


def neighbourhoods_of(force: Force) -> QuerySet[Neighbourhood]:
    """A force's neighbourhoods by name, without their (large) boundaries."""
    return (
        Neighbourhood.objects.filter(force=force)
        .select_related("sector")
        .defer("boundary")
        .order_by("name")
    )


def get_neighbourhood(force: Force | str, code: str) -> Neighbourhood:
    """One neighbourhood by force and its id; NotFound names which part was not found.

    One query when it exists; only a miss asks whether the force exists.
    """
    by_force = {"force__slug": force.lower()} if isinstance(force, str) else {"force": force}
    neighbourhood = (
        Neighbourhood.objects.select_related("force", "sector")
        .filter(**by_force, code=code)
        .first()
    )
    if neighbourhood is None:
        if isinstance(force, str):
            force = get_force(force)
        raise NotFound(
            f"No neighbourhood with the id {code!r} in {force.slug}.", field="neighbourhood"
        )
    return neighbourhood


def search_neighbourhoods(query: str, *, force: Force | None = None) -> QuerySet[Neighbourhood]:
    """Neighbourhoods whose name contains the query, ignoring case and accents.

    Names that start with the query come first, then the rest by name.
    """
    folded = fold_for_search(query)
    matches = Neighbourhood.objects.select_related("force").defer("boundary")
    if force is not None:
        matches = matches.filter(force=force)
    if not folded:
        return matches.none()
    return (
        matches.filter(search_name__contains=folded)
        .annotate(
            starts_with_query=Case(
                When(search_name__startswith=folded, then=Value(0)), default=Value(1)
            )
        )
        .order_by("starts_with_query", "name")
    )


def locate_neighbourhood_ref(latitude: float, longitude: float) -> NeighbourhoodRef | None:
    """The force id, code and name of the neighbourhood containing the point, or None.

    The spatial index holds them, so this reads no row: enough to link to or name the
    neighbourhood. A point on a border shared by two neighbourhoods resolves to the one
    with the lowest database id, the same answer every time.
    """
    return locate_ref(latitude, longitude)


def neighbours_of(neighbourhood: Neighbourhood) -> list[NeighbourhoodRef]:
    """Neighbourhoods of the same force whose boundary touches or overlaps this one's, by name.

    Everything comes from the spatial index: no other boundary or row is read.
    """
    index = boundary_index()
    own = index.geometry_of(neighbourhood.pk)
    if own is None:
        own = shape(neighbourhood.boundary)
    touching = (index.ref_of(pk) for pk in index.touching(own) if pk != neighbourhood.pk)
    return sorted(
        (ref for ref in touching if ref is not None and ref.force_id == neighbourhood.force_id),
        key=lambda ref: (ref.name, ref.id),
    )


def boundaries_of(force: Force) -> QuerySet[Neighbourhood]:
    """A force's neighbourhoods by name with only what a map needs: id, name and boundary."""
    return (
        Neighbourhood.objects.filter(force=force)
        .only("pk", "force_id", "code", "name", "boundary")
        .order_by("name")
    )


def neighbourhoods_meeting_circle(
    latitude: float, longitude: float, radius_metres: float
) -> list[Neighbourhood]:
    """The neighbourhoods a circle on the ground reaches into (or lies within)."""
    # Only those whose boxes the circle's box touches are measured: the spatial index holds
    # every boundary's box, so a country's thousands of neighbourhoods are not all read.
    box = shapely.box(*grown_by((longitude, latitude, longitude, latitude), radius_metres))
    candidates = boundary_index().ids_intersecting(box)
    return [
        neighbourhood
        for neighbourhood in Neighbourhood.objects.filter(pk__in=candidates).only(
            "pk", "boundary", "force_id", "name"
        )
        if distances_to_boundary(neighbourhood.boundary, [latitude], [longitude])[0]
        <= radius_metres
    ]
