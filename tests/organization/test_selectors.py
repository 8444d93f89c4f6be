"""Which dependencies an official may act on: their own and everything under them."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from tests import factories
from ventanilla.organization.models import Dependency, Entity, Level, Membership, Role
from ventanilla.organization.selectors import (
    dependencies_for,
    entity_calendar,
    role_on,
    user_is_official,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tree() -> dict[str, Dependency]:
    root = factories.dependency("SED")
    local = factories.dependency("DLE-08", parent=root, level=Level.LOCAL)
    school = factories.dependency("IED-0001", parent=local, level=Level.INSTITUTIONAL)
    other_local = factories.dependency("DLE-07", parent=root, level=Level.LOCAL)
    other_school = factories.dependency("IED-0002", parent=other_local, level=Level.INSTITUTIONAL)
    # A code that starts like DLE-08 must not fall inside DLE-08's subtree.
    lookalike = factories.dependency("DLE-080", parent=root, level=Level.LOCAL)
    return {
        "root": root,
        "local": local,
        "school": school,
        "other_local": other_local,
        "other_school": other_school,
        "lookalike": lookalike,
    }


def test_paths_chain_the_codes(tree: dict[str, Dependency]) -> None:
    assert tree["school"].path == "SED/DLE-08/IED-0001/"


def test_a_role_covers_the_subtree_only(tree: dict[str, Dependency]) -> None:
    handler = factories.official(tree["local"], Role.HANDLER)
    assert set(dependencies_for(handler)) == {tree["local"], tree["school"]}


def test_a_role_at_the_root_covers_the_whole_entity(tree: dict[str, Dependency]) -> None:
    supervisor = factories.official(tree["root"], Role.SUPERVISOR)
    assert set(dependencies_for(supervisor)) == set(tree.values())


def test_a_lower_role_does_not_count_for_a_higher_requirement(
    tree: dict[str, Dependency],
) -> None:
    viewer = factories.official(tree["local"], Role.VIEWER)
    assert set(dependencies_for(viewer)) == {tree["local"], tree["school"]}
    assert not dependencies_for(viewer, role_at_least=Role.HANDLER).exists()


def test_inactive_memberships_and_dependencies_give_nothing(tree: dict[str, Dependency]) -> None:
    handler = factories.official(tree["local"], Role.HANDLER)
    Membership.objects.filter(user=handler).update(active=False)
    assert not dependencies_for(handler).exists()
    Membership.objects.filter(user=handler).update(active=True)
    Dependency.objects.filter(pk=tree["school"].pk).update(active=False)
    assert set(dependencies_for(handler)) == {tree["local"]}


def test_roles_in_two_entities_do_not_leak(tree: dict[str, Dependency]) -> None:
    sg_root = factories.dependency("SED", entity_code="SG")  # same code, other entity
    handler = factories.official(sg_root, Role.HANDLER)
    assert set(dependencies_for(handler)) == {sg_root}


def test_role_on_takes_the_highest_role_from_any_ancestor(tree: dict[str, Dependency]) -> None:
    person = factories.official(tree["school"], Role.HANDLER)
    Membership.objects.create(user=person, dependency=tree["root"], role=Role.VIEWER)
    assert role_on(person, tree["school"]) == Role.HANDLER
    assert role_on(person, tree["other_school"]) == Role.VIEWER
    assert role_on(factories.user(), tree["school"]) is None


def test_officials_are_staff_or_members(tree: dict[str, Dependency]) -> None:
    assert user_is_official(factories.official(tree["local"], Role.VIEWER))
    assert user_is_official(factories.user(staff=True))
    assert not user_is_official(factories.user())


def test_moving_a_dependency_moves_its_subtree(tree: dict[str, Dependency]) -> None:
    local = tree["local"]
    local.parent = tree["other_local"]
    local.save()
    tree["school"].refresh_from_db()
    assert tree["school"].path == "SED/DLE-07/DLE-08/IED-0001/"


def test_a_dependency_cannot_hang_below_itself(tree: dict[str, Dependency]) -> None:
    local = tree["local"]
    local.parent = tree["school"]
    with pytest.raises(ValidationError):
        local.full_clean()


def test_filing_number_format_must_number_the_year() -> None:
    entity = Entity(code="SED", name="Secretaría", filing_number_format="{entity}-{seq}")
    with pytest.raises(ValidationError) as raised:
        entity.full_clean()
    assert "filing_number_format" in raised.value.message_dict


def test_unknown_timezone_or_holiday_country_is_refused() -> None:
    entity = Entity(code="SED", name="Secretaría", timezone="Marte/Olympus")
    with pytest.raises(ValidationError) as raised:
        entity.full_clean()
    assert "timezone" in raised.value.message_dict
    entity = Entity(code="SED", name="Secretaría", holiday_country="XX")
    with pytest.raises(ValidationError) as raised:
        entity.full_clean()
    assert "holiday_country" in raised.value.message_dict


def test_entity_calendar_includes_its_closures() -> None:
    from datetime import date

    entity = factories.entity("SED")
    entity.closures.create(date=date(2026, 6, 5), reason="Jornada pedagógica")
    calendar = entity_calendar(entity)
    assert date(2026, 6, 5) in calendar.closures
    assert calendar.country == "CO"
    assert calendar.timezone == "America/Bogota"
