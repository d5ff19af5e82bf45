"""The crime data admin: administrators look, nobody edits, nobody else sees it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from beatbridge.accounts.tests.factories import AdministratorFactory, OfficerProfileFactory
from beatbridge.crimedata.importing import import_police_uk
from beatbridge.crimedata.models import Incident
from beatbridge.crimedata.tests.files import street_row, write_street_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(fremont, tmp_path):
    write_street_file(tmp_path, [street_row(), street_row(crime_type="Drugs")])
    import_police_uk(paths=[tmp_path])
    return Incident.objects.order_by("pk").first()


def test_administrators_read_imports_and_incidents_but_change_nothing(client, imported):
    client.force_login(AdministratorFactory())

    imports = client.get(reverse("admin:crimedata_crimeimport_changelist"))
    incidents = client.get(reverse("admin:crimedata_incident_changelist"))
    detail = client.get(reverse("admin:crimedata_incident_change", args=[imported.pk]))
    change = client.post(
        reverse("admin:crimedata_incident_change", args=[imported.pk]), {"category": "drugs"}
    )
    delete = client.post(
        reverse("admin:crimedata_incident_delete", args=[imported.pk]), {"post": "yes"}
    )

    assert (imports.status_code, incidents.status_code, detail.status_code) == (200, 200, 200)
    assert len(incidents.context["cl"].result_list) == 2
    assert (change.status_code, delete.status_code) == (403, 403)
    imported.refresh_from_db()
    assert imported.category == "burglary"


def test_officers_do_not_see_crime_data_in_the_admin(client, imported):
    client.force_login(OfficerProfileFactory(user__is_staff=True).user)

    response = client.get(reverse("admin:crimedata_incident_changelist"))

    assert response.status_code in (302, 403)
