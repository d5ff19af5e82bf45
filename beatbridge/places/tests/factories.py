from __future__ import annotations

import factory

from beatbridge.places.models import Force, Neighbourhood, Sector


def square(west: float, south: float, size: float = 0.01) -> dict:
    """A GeoJSON Polygon: the square with this south-west corner."""
    east, north = west + size, south + size
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


class ForceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Force
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"force-{n}")
    name = factory.Sequence(lambda n: f"Force {n} Police")
    telephone = "101"


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector

    force = factory.SubFactory(ForceFactory)
    slug = factory.Sequence(lambda n: f"sector-{n}")
    name = factory.Sequence(lambda n: f"Sector {n}")


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    """A neighbourhood whose boundary is a 0.01° square; set `boundary` for another shape."""

    class Meta:
        model = Neighbourhood

    force = factory.SubFactory(ForceFactory)
    code = factory.Sequence(lambda n: f"N{n:04d}")
    name = factory.Sequence(lambda n: f"Neighbourhood {n}")
    boundary = factory.Sequence(lambda n: square(-122.4 + (n % 50) * 0.01, 47.5 + (n // 50) * 0.01))
    centre_longitude = factory.LazyAttribute(lambda o: o.boundary["coordinates"][0][0][0] + 0.005)
    centre_latitude = factory.LazyAttribute(lambda o: o.boundary["coordinates"][0][0][1] + 0.005)
