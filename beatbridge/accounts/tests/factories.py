from __future__ import annotations

import datetime

import factory

from beatbridge.accounts.models import OfficerProfile, Role, TeamAssignment, TeamRole, User
from beatbridge.places.tests.factories import ForceFactory, NeighbourhoodFactory


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    role = Role.RESIDENT
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def saved(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class AdministratorFactory(UserFactory):
    role = Role.ADMINISTRATOR
    is_staff = True


class SuperuserFactory(AdministratorFactory):
    is_superuser = True


class OfficerProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfficerProfile

    user = factory.SubFactory(UserFactory, role=Role.OFFICER)
    force = factory.SubFactory(ForceFactory)
    display_name = factory.Sequence(lambda n: f"Officer {n}")
    rank = "Police Officer"
    bio = "Walks the beat."
    languages = factory.LazyFunction(lambda: ["en"])

    class Params:
        supervisor = factory.Trait(user=factory.SubFactory(UserFactory, role=Role.SUPERVISOR))


class TeamAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamAssignment

    officer = factory.SubFactory(OfficerProfileFactory)
    # The same force as the officer's: an officer only serves their own force's neighbourhoods.
    neighbourhood = factory.SubFactory(
        NeighbourhoodFactory, force=factory.SelfAttribute("..officer.force")
    )
    role = TeamRole.NEIGHBOURHOOD_OFFICER
    starts_on = factory.LazyFunction(lambda: datetime.date(2024, 1, 1))
    ends_on = None
