from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from beatbridge.accounts.models import Role, TeamRole, User
from beatbridge.accounts.tests.factories import (
    OfficerProfileFactory,
    TeamAssignmentFactory,
    UserFactory,
)
from beatbridge.places.tests.factories import NeighbourhoodFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"  # the factories' password


def sign_up_data(**changes):
    return {
        "email": "ana@example.org",
        "full_name": "Ana López",
        "password": "lantern-orchard-41",
        "password_again": "lantern-orchard-41",
        "preferred_language": "es",
        "home_neighbourhood": "",
        **changes,
    }


# --- sign-up ---


def test_sign_up_page_labels_every_field_and_offers_no_role(client):
    NeighbourhoodFactory(name="Fremont")

    page = client.get(reverse("accounts:sign-up")).content.decode()

    for field in ["email", "full_name", "password", "password_again", "preferred_language"]:
        assert f'for="id_{field}"' in page
    assert 'for="id_home_neighbourhood"' in page
    assert "Fremont" in page
    assert 'name="role"' not in page


def test_sign_up_creates_a_signed_in_resident(client):
    home = NeighbourhoodFactory()

    response = client.post(reverse("accounts:sign-up"), sign_up_data(home_neighbourhood=home.pk))

    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    user = User.objects.get()
    assert (user.email, user.role, user.home_neighbourhood) == ("ana@example.org", "resident", home)
    assert client.session[SESSION_KEY] == str(user.pk)


def test_sign_up_ignores_a_posted_role(client):
    client.post(reverse("accounts:sign-up"), sign_up_data(role=Role.ADMINISTRATOR, is_staff="on"))

    user = User.objects.get()
    assert user.role == Role.RESIDENT
    assert not user.is_staff


def test_sign_up_with_a_taken_email_shows_the_error_on_the_field(client):
    UserFactory(email="ana@example.org")

    response = client.post(reverse("accounts:sign-up"), sign_up_data(email="ANA@example.org"))

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "An account with this e-mail address already exists."
    ]
    assert User.objects.count() == 1


def test_sign_up_with_a_weak_password_shows_the_error_on_the_field(client):
    response = client.post(
        reverse("accounts:sign-up"), sign_up_data(password="12345678", password_again="12345678")
    )

    assert "password" in response.context["form"].errors
    assert User.objects.count() == 0


def test_sign_up_with_passwords_that_differ_is_refused(client):
    response = client.post(reverse("accounts:sign-up"), sign_up_data(password_again="other-words"))

    assert "password_again" in response.context["form"].errors
    assert User.objects.count() == 0


def test_a_signed_in_person_is_sent_from_sign_up_to_their_profile(client):
    client.force_login(UserFactory())

    response = client.get(reverse("accounts:sign-up"))

    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")


# --- sign-in / sign-out ---


def test_sign_in_by_email_in_any_case(client):
    user = UserFactory(email="sam@example.org")

    response = client.post(
        reverse("accounts:sign-in"), {"username": "Sam@Example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response.url == reverse("accounts:profile")
    assert client.session[SESSION_KEY] == str(user.pk)


def test_sign_in_with_a_wrong_password_is_refused(client):
    UserFactory(email="sam@example.org")

    response = client.post(
        reverse("accounts:sign-in"), {"username": "sam@example.org", "password": "wrong"}
    )

    assert response.status_code == 200
    assert "Enter a correct e-mail address and password" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_an_inactive_account_cannot_sign_in(client):
    UserFactory(email="sam@example.org", is_active=False)

    response = client.post(
        reverse("accounts:sign-in"), {"username": "sam@example.org", "password": PASSWORD}
    )

    assert response.status_code == 200
    assert SESSION_KEY not in client.session


def test_sign_out_needs_a_post(client):
    client.force_login(UserFactory())

    assert client.get(reverse("accounts:sign-out")).status_code == 405
    response = client.post(reverse("accounts:sign-out"))

    assert response.url == reverse("places:home")
    assert SESSION_KEY not in client.session


# --- profile ---


def test_anonymous_visitor_is_sent_from_profile_to_sign_in(client):
    response = client.get(reverse("accounts:profile"))

    assert response.status_code == 302
    assert response.url == f"{reverse('accounts:sign-in')}?next={reverse('accounts:profile')}"


def test_profile_shows_role_and_links_the_home_neighbourhood(client):
    home = NeighbourhoodFactory(name="Fremont")
    client.force_login(UserFactory(role=Role.LIAISON_OFFICER, home_neighbourhood=home))

    page = client.get(reverse("accounts:profile")).content.decode()

    assert "Community liaison officer" in page
    home_url = reverse("places:neighbourhood", kwargs={"force": home.force.slug, "code": home.code})
    assert f'href="{home_url}"' in page


def test_profile_saves_name_language_and_home_but_never_the_role(client):
    user = UserFactory()
    home = NeighbourhoodFactory()
    client.force_login(user)

    response = client.post(
        reverse("accounts:profile"),
        {
            "full_name": "Ana López",
            "preferred_language": "ar",
            "home_neighbourhood": home.pk,
            "role": Role.ADMINISTRATOR,
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.full_name, user.preferred_language, user.home_neighbourhood) == (
        "Ana López",
        "ar",
        home,
    )
    assert user.role == Role.RESIDENT


def test_profile_refuses_an_unknown_language_on_its_field(client):
    user = UserFactory(preferred_language="es")
    client.force_login(user)

    response = client.post(
        reverse("accounts:profile"), {"full_name": "Ana", "preferred_language": "xx"}
    )

    assert "preferred_language" in response.context["form"].errors
    user.refresh_from_db()
    assert user.preferred_language == "es"


# --- language ---


def test_changing_language_when_signed_in_is_remembered_on_the_profile(client):
    user = UserFactory(preferred_language="")
    client.force_login(user)

    response = client.post(reverse("accounts:language"), {"language": "es", "next": "/"})

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == "es"
    assert client.get(reverse("accounts:profile")).headers["Content-Language"] == "es"


def test_an_anonymous_visitors_language_choice_is_kept_in_a_cookie(client):
    client.post(reverse("accounts:language"), {"language": "ar", "next": "/"})

    response = client.get(reverse("accounts:sign-in"))

    assert response.headers["Content-Language"] == "ar"
    assert 'dir="rtl"' in response.content.decode()


def test_the_signed_in_preference_wins_over_the_cookie(client, settings):
    client.force_login(UserFactory(preferred_language="es"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"

    response = client.get(reverse("accounts:profile"))

    assert response.headers["Content-Language"] == "es"


def test_a_language_we_do_not_offer_is_not_remembered(client):
    user = UserFactory(preferred_language="es")
    client.force_login(user)

    client.post(reverse("accounts:language"), {"language": "fr", "next": "/"})

    user.refresh_from_db()
    assert user.preferred_language == "es"


# --- password reset ---


def test_password_reset_mails_a_link_that_sets_a_new_password(client):
    user = UserFactory(email="sam@example.org")

    response = client.post(reverse("accounts:password-reset"), {"email": "SAM@example.org"})

    assert response.url == reverse("accounts:password-reset-done")
    [message] = mail.outbox
    assert message.to == ["sam@example.org"]
    link = next(line for line in message.body.splitlines() if "/password-reset/" in line)
    confirm = client.get(link.removeprefix("http://testserver"), follow=True)
    new_password = "a-brand-new-passphrase"
    client.post(
        confirm.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )
    user.refresh_from_db()
    assert user.check_password(new_password)


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client):
    response = client.post(reverse("accounts:password-reset"), {"email": "nobody@example.org"})

    assert response.url == reverse("accounts:password-reset-done")
    assert mail.outbox == []


def test_password_reset_mail_is_written_in_the_readers_language(client, settings):
    # The page is in English; the reader prefers Spanish. The test template shows which
    # language was active while the mail was written.
    settings.TEMPLATES = [
        {
            **settings.TEMPLATES[0],
            "APP_DIRS": False,
            "OPTIONS": {
                **settings.TEMPLATES[0]["OPTIONS"],
                "loaders": [
                    (
                        "django.template.loaders.locmem.Loader",
                        {
                            "accounts/password_reset_email.txt": (
                                "{% load i18n %}{% get_current_language as code %}{{ code }}"
                            ),
                        },
                    ),
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]
    UserFactory(email="ana@example.org", preferred_language="es")

    client.post(
        reverse("accounts:password-reset"), {"email": "ana@example.org"}, HTTP_ACCEPT_LANGUAGE="en"
    )

    assert mail.outbox[0].body == "es"


# --- public officer profile ---


def test_officer_page_shows_the_public_profile_team_and_history_but_no_email(client):
    today = timezone.localdate()
    officer = OfficerProfileFactory(
        display_name="Sam Reed",
        rank="Sergeant",
        bio="Twenty years on the beat.",
        languages=["en", "es"],
        user__email="sam.reed@police.example",
        photo="officers/sam.jpg",
    )
    now = TeamAssignmentFactory(
        officer=officer,
        neighbourhood__name="Fremont",
        starts_on=today - datetime.timedelta(days=30),
    )
    TeamAssignmentFactory(
        officer=officer,
        neighbourhood__name="Ballard",
        role=TeamRole.SECTOR_OFFICER,
        starts_on=datetime.date(2020, 1, 1),
        ends_on=datetime.date(2022, 12, 31),
    )
    TeamAssignmentFactory(
        officer=officer,
        neighbourhood__name="Future Heights",
        starts_on=today + datetime.timedelta(days=30),
    )

    response = client.get(reverse("officers:detail", kwargs={"officer_id": officer.pk}))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Sergeant" in page
    assert "Sam Reed" in page
    assert "Twenty years on the beat." in page
    assert "English" in page
    assert "Spanish" in page
    assert 'alt="Photo of Sam Reed"' in page
    assert response.context["record"].current == [now]
    assert [a.neighbourhood.name for a in response.context["record"].past] == ["Ballard"]
    fremont_url = reverse(
        "places:neighbourhood",
        kwargs={"force": now.neighbourhood.force.slug, "code": now.neighbourhood.code},
    )
    assert f'href="{fremont_url}#contact-heading"' in page
    assert "Future Heights" not in page
    assert "sam.reed@police.example" not in page
    assert "@" not in page.split('<main id="main"')[1].split("</main>")[0]


def test_officer_page_of_an_unknown_officer_is_not_found(client):
    response = client.get(reverse("officers:detail", kwargs={"officer_id": 999}))

    assert response.status_code == 404


def test_officer_page_reads_a_bounded_number_of_queries(client, django_assert_max_num_queries):
    officer = OfficerProfileFactory()
    for _ in range(5):
        TeamAssignmentFactory(officer=officer, starts_on=datetime.date(2020, 1, 1))
    url = reverse("officers:detail", kwargs={"officer_id": officer.pk})

    with django_assert_max_num_queries(3):
        client.get(url)


def test_a_deactivated_officer_leaves_the_team_and_their_profile_is_no_longer_public(client):
    assignment = TeamAssignmentFactory()
    officer = assignment.officer
    officer.user.is_active = False
    officer.user.save(update_fields=["is_active"])

    profile = client.get(reverse("officers:detail", kwargs={"officer_id": officer.pk}))
    team_page = client.get(
        reverse(
            "places:neighbourhood",
            kwargs={
                "force": assignment.neighbourhood.force.slug,
                "code": assignment.neighbourhood.code,
            },
        )
    )

    assert profile.status_code == 404
    assert officer.display_name not in team_page.content.decode()


def test_only_officer_photos_are_served_from_media(client, settings):
    photos = settings.MEDIA_ROOT / "officers"
    photos.mkdir(parents=True, exist_ok=True)
    photo, private = photos / "test-photo.jpg", settings.MEDIA_ROOT / "test-private.txt"
    photo.write_bytes(b"photo")
    private.write_text("not for the public")
    try:
        assert client.get("/media/officers/test-photo.jpg").status_code == 200
        assert client.get("/media/test-private.txt").status_code == 404
    finally:
        photo.unlink()
        private.unlink()
