"""The demo deployment: what `load_demo` loads, that a second run changes nothing, and that
the published logins and TOTP secret work."""

from __future__ import annotations

import re
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db import models
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from ventanilla.accounts.models import Consent, User
from ventanilla.accounts.selectors import consent_text_current
from ventanilla.demo.data.localities import LOCALITIES
from ventanilla.demo.data.people import DEMO_PASSWORD, NAMED_LOGINS
from ventanilla.demo.load import demo_load
from ventanilla.demo.people import demo_totp_code, official_plan
from ventanilla.demo.sync import Tally
from ventanilla.organization.models import (
    Dependency,
    Entity,
    EntityClosure,
    EntityHours,
    Level,
    Locality,
    Membership,
    Role,
    ServicePoint,
    ServicePointHours,
    ServicePointKind,
)
from ventanilla.organization.selectors import dependencies_for

# One worker loads the demo once for all of these tests.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo")]

DEMO_MODELS: list[type[models.Model]] = [
    Locality,
    Entity,
    EntityHours,
    EntityClosure,
    Dependency,
    ServicePoint,
    ServicePointHours,
    User,
    EmailAddress,
    Membership,
    Authenticator,
    Consent,
]


@pytest.fixture(scope="module", autouse=True)
def first_load(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Tally]]:
    """Load the demo once for the whole module, inside a transaction rolled back at the end
    (the way Django's setUpTestData does), so every test starts from the loaded demo."""
    with django_db_blocker.unblock():
        atomics = TestCase._enter_atomics()
        try:
            # The fast hasher the other tests use, so the stored hashes verify under it.
            with override_settings(
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]
            ):
                tallies = demo_load(catalog=False)
            yield tallies
        finally:
            TestCase._rollback_atomics(atomics)


def dump() -> dict[str, list[dict[str, Any]]]:
    return {
        model.__name__: list(model._default_manager.order_by("pk").values())
        for model in DEMO_MODELS
    }


def test_the_first_run_only_creates(first_load: dict[str, Tally]) -> None:
    assert all(tally.updated == 0 and tally.unchanged == 0 for tally in first_load.values())
    assert first_load["dependencies"].created > 440


def test_the_twenty_localities_of_bogota() -> None:
    localities = dict(Locality.objects.values_list("code", "name"))
    assert len(localities) == 20
    assert localities["01"] == "Usaquén"
    assert localities["08"] == "Kennedy"
    assert localities["17"] == "La Candelaria"
    assert localities["20"] == "Sumapaz"


def test_two_entities_with_their_calendars() -> None:
    assert set(Entity.objects.values_list("code", flat=True)) == {"SED", "SG"}
    sed = Entity.objects.get(code="SED")
    assert sed.name == "Secretaría de Educación del Distrito"
    assert (sed.timezone, sed.holiday_country, f"{sed.reception_cutoff:%H:%M}") == (
        "America/Bogota",
        "CO",
        "17:00",
    )
    hours = list(sed.hours.values_list("weekday", "opens", "closes"))
    assert len(hours) == 5
    assert {f"{opens:%H:%M}-{closes:%H:%M}" for _, opens, closes in hours} == {"07:00-16:30"}
    assert sed.closures.count() >= 2
    assert Dependency.objects.filter(entity__code="SG", parent=None).count() == 1


def test_twenty_local_directorates_under_the_head_office() -> None:
    local = Dependency.objects.filter(entity__code="SED", level=Level.LOCAL).select_related(
        "parent"
    )
    assert len(local) == 20
    assert {d.code for d in local} == {f"DLE-{n:02d}" for n in range(1, 21)}
    assert {d.parent.code for d in local if d.parent} == {"SED"}
    assert "Dirección Local de Educación de Kennedy" in {d.name for d in local}


def test_at_least_400_schools_spread_over_all_localities_under_their_directorate() -> None:
    schools = ServicePoint.objects.filter(kind=ServicePointKind.SCHOOL).select_related(
        "dependency__parent", "locality"
    )
    assert len(schools) >= 400
    per_locality: dict[str, int] = {}
    for school in schools:
        per_locality[school.locality.code] = per_locality.get(school.locality.code, 0) + 1
        dependency = school.dependency
        assert dependency.level == Level.INSTITUTIONAL, school.code
        assert dependency.parent is not None
        assert dependency.parent.code == f"DLE-{school.locality.code}", school.code
        assert dependency.path == f"SED/DLE-{school.locality.code}/{school.code}/"
        assert school.name.endswith(" IED")
        assert 1 <= school.desks <= 2
    assert set(per_locality) == {loc.code for loc in LOCALITIES}
    # Proportions like the real city's: the south and west have most schools.
    assert per_locality["08"] > 10 * per_locality["17"]
    assert per_locality["19"] > 10 * per_locality["20"]
    assert len({school.name for school in schools}) == len(schools)
    assert len({school.address for school in schools}) == len(schools)


def test_every_school_is_pinned_inside_its_locality_and_open_on_weekdays() -> None:
    boxes = {loc.code: loc for loc in LOCALITIES}
    schools = ServicePoint.objects.filter(kind=ServicePointKind.SCHOOL).select_related("locality")
    for school in schools:
        box = boxes[school.locality.code]
        assert school.latitude is not None and school.longitude is not None
        assert box.south <= school.latitude <= box.north, school.code
        assert box.west <= school.longitude <= box.east, school.code
    days = ServicePointHours.objects.filter(service_point__in=schools).values_list(
        "service_point_id", "weekday"
    )
    assert {(point, day) for point, day in days} == {
        (school.pk, day) for school in schools for day in range(5)
    }


def test_support_centres_and_the_central_offices() -> None:
    centres = ServicePoint.objects.filter(kind=ServicePointKind.SUPPORT_CENTRE).select_related(
        "dependency"
    )
    assert len(centres) == 20
    assert {c.dependency.level for c in centres} == {Level.LOCAL}
    assert {c.desks for c in centres} == {3}
    offices = {
        p.entity.code: p
        for p in ServicePoint.objects.filter(kind=ServicePointKind.OFFICE).exclude(
            code__startswith="PEM-"
        )
    }
    assert set(offices) == {"SED", "SG"}
    assert offices["SED"].address == "Avenida El Dorado No. 66-63"
    assert offices["SED"].desks == 8
    assert offices["SED"].hours.count() == 5


def test_four_special_enrolment_points_open_on_saturday_mornings_too() -> None:
    special = ServicePoint.objects.filter(code__startswith="PEM-").select_related("dependency")
    assert len(special) == 4
    assert {p.dependency.code for p in special} == {"DIR-COBERTURA"}
    assert {p.locality.code for p in special} == {"07", "08", "11", "19"}
    assert all(p.hours.filter(weekday=5).exists() for p in special)


def test_every_row_passes_its_models_validation() -> None:
    rows: list[models.Model] = [
        *Entity.objects.all(),
        *EntityHours.objects.all(),
        *EntityClosure.objects.all(),
        *Dependency.objects.select_related("parent"),
        *ServicePoint.objects.select_related("dependency"),
    ]
    for row in rows:
        row.full_clean(validate_unique=False, validate_constraints=False)


def test_a_second_run_changes_nothing() -> None:
    before = dump()
    out = StringIO()
    call_command("load_demo", "--skip-catalog", "--even-without-debug", stdout=out)
    assert dump() == before
    assert "already up to date" in out.getvalue()


def test_without_debug_the_demo_is_refused_unless_told(settings: Any) -> None:
    settings.DEBUG = False
    officials_before = User.objects.count()
    with pytest.raises(CommandError, match="DEBUG is off"):
        call_command("load_demo", "--skip-catalog", stdout=StringIO())
    assert User.objects.count() == officials_before
    settings.DEBUG = True
    call_command("load_demo", "--skip-catalog", stdout=StringIO())


def test_a_run_repairs_what_differs_from_the_demo() -> None:
    school = ServicePoint.objects.get(code="IED-0001")
    name = school.name
    ServicePoint.objects.filter(pk=school.pk).update(name="Otro nombre")
    school.hours.filter(weekday=0).delete()
    tallies = demo_load(catalog=False)
    assert tallies["service points"].updated == 1
    assert tallies["service point hours"].created >= 1
    assert ServicePoint.objects.get(pk=school.pk).name == name
    assert school.hours.filter(weekday=0).exists()
    assert sum(t.created + t.updated for t in tallies.values()) == (
        1 + tallies["service point hours"].created
    )


def test_the_named_logins_authenticate_with_the_demo_password() -> None:
    for login in NAMED_LOGINS:
        user = authenticate(None, email=login.email, password=DEMO_PASSWORD)
        assert user is not None, login.email
        assert EmailAddress.objects.filter(user=user, email=login.email, verified=True).exists()
        assert authenticate(None, email=login.email, password="otra-clave-123") is None
    admin = User.objects.get(email="admin@demo.ventanilla.co")
    assert admin.is_staff and admin.is_superuser
    # One hash computed once and shared: the named users' passwords are the same string.
    hashes = User.objects.filter(email__in=[login.email for login in NAMED_LOGINS])
    assert len(set(hashes.values_list("password", flat=True))) == 1


def test_generated_officials_work_at_the_three_levels_without_a_password() -> None:
    emails = [post.email for post in official_plan()]
    assert len(emails) >= 36
    officials = User.objects.filter(email__in=emails)
    assert len(officials) == len(emails)
    assert not any(official.has_usable_password() for official in officials)
    levels = set(
        Membership.objects.filter(user__in=officials).values_list("dependency__level", flat=True)
    )
    assert levels == {Level.CENTRAL, Level.LOCAL, Level.INSTITUTIONAL}


def test_demo_officials_have_totp_and_the_citizen_has_not() -> None:
    for login in NAMED_LOGINS:
        user = User.objects.get(email=login.email)
        assert is_mfa_enabled(user, [Authenticator.Type.TOTP]) == login.official, login.email
    authenticator = Authenticator.objects.get(
        user__email="gestor@demo.ventanilla.co", type=Authenticator.Type.TOTP
    )
    code, _ = demo_totp_code()
    assert authenticator.wrap().validate_code(code)


def test_the_citizen_has_consented_to_the_notice_in_force() -> None:
    citizen = User.objects.get(email="ciudadana@demo.ventanilla.co")
    assert (citizen.id_type, citizen.id_number) == ("CC", "52345678")
    consent = Consent.objects.get(user=citizen)
    assert consent.text == consent_text_current()
    assert not citizen.memberships.exists()


def test_roles_cover_the_right_subtrees() -> None:
    supervisor = User.objects.get(email="supervisor@demo.ventanilla.co")
    assert set(dependencies_for(supervisor)) == set(Dependency.objects.filter(entity__code="SED"))
    assert dependencies_for(supervisor, role_at_least=Role.SUPERVISOR).count() > 440

    kennedy = User.objects.get(email="gestor.kennedy@demo.ventanilla.co")
    directorate = Dependency.objects.get(entity__code="SED", code="DLE-08")
    assert set(dependencies_for(kennedy)) == {directorate, *directorate.children.all()}
    assert directorate.children.count() > 30

    secretary = User.objects.get(email="secretaria.colegio@demo.ventanilla.co")
    (school,) = dependencies_for(secretary)
    assert school.level == Level.INSTITUTIONAL
    assert school.parent == directorate

    sg = User.objects.get(email="gestor.sg@demo.ventanilla.co")
    assert {d.entity.code for d in dependencies_for(sg)} == {"SG"}


def test_the_demo_admin_signs_in_with_the_password_and_the_demo_code(client: Client) -> None:
    response = client.post(
        reverse("account_login"),
        {"login": "admin@demo.ventanilla.co", "password": DEMO_PASSWORD},
    )
    assert response["Location"] == reverse("mfa_authenticate")
    code, _ = demo_totp_code()
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_demo_logins_prints_the_logins_and_a_six_digit_code() -> None:
    out = StringIO()
    before, _ = demo_totp_code()
    call_command("demo_logins", stdout=out)
    after, _ = demo_totp_code()
    text = out.getvalue()
    assert all(login.email in text for login in NAMED_LOGINS)
    assert DEMO_PASSWORD in text
    match = re.search(r"current code: (\d{6})\b", text)
    assert match is not None
    assert match.group(1) in {before, after}  # the code may roll over meanwhile


def test_demo_logins_says_when_the_demo_is_not_loaded() -> None:
    User.objects.filter(email__in=[login.email for login in NAMED_LOGINS]).delete()
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "not loaded" in out.getvalue()
    assert not re.search(r"\b\d{6}\b", out.getvalue())
