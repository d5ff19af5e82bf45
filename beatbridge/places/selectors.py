"""Reads for places: forces, neighbourhoods, search, neighbours and locating a point."""

from __future__ import annotations

from django.db.models import Case, QuerySet, Value, When
from shapely.geometry import shape

from beatbridge.errors import NotFound
from beatbridge.places.models import Force, Neighbourhood, fold_for_search
from beatbridge.places.spatial import boundary_index, locate_point


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
    """One neighbourhood by force and its id; NotFound names which part was not found."""
    if isinstance(force, str):
        force = get_force(force)
    neighbourhood = (
        Neighbourhood.objects.select_related("force", "sector")
        .filter(force=force, code=code)
        .first()
    )
    if neighbourhood is None:
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


def locate_neighbourhood(latitude: float, longitude: float) -> Neighbourhood | None:
    """The neighbourhood containing the point, or None when it lies outside them all.

    A point on a border shared by two neighbourhoods resolves to the one with the
    lowest database id, the same answer every time.
    """
    neighbourhood_id = locate_point(latitude, longitude)
    if neighbourhood_id is None:
        return None
    return Neighbourhood.objects.select_related("force", "sector").get(pk=neighbourhood_id)


def neighbours_of(neighbourhood: Neighbourhood) -> list[Neighbourhood]:
    """Neighbourhoods of the same force whose boundary touches or overlaps this one's, by name.

    Candidates come from the spatial index, so no other boundary is loaded.
    """
    index = boundary_index()
    own = index.geometry_of(neighbourhood.pk)
    if own is None:
        own = shape(neighbourhood.boundary)
    touching = [pk for pk in index.touching(own) if pk != neighbourhood.pk]
    return list(
        Neighbourhood.objects.filter(force_id=neighbourhood.force_id, pk__in=touching)
        .select_related("force", "sector")
        .defer("boundary")
        .order_by("name")
    )


def boundaries_of(force: Force) -> QuerySet[Neighbourhood]:
    """A force's neighbourhoods by name with only what a map needs: id, name and boundary."""
    return (
        Neighbourhood.objects.filter(force=force)
        .only("pk", "force_id", "code", "name", "boundary")
        .order_by("name")
    )
