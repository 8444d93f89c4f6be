"""Filing at a counter or on the phone: a case joins an account only when that account's ID
document was verified; otherwise it is filed for the person as a contact, to be claimed."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories
from tests.cases.test_case_file import file_one
from ventanilla.accounts.models import ConsentMethod, IdVerification, User
from ventanilla.accounts.selectors import consent_text_current
from ventanilla.accounts.services import id_document_verify
from ventanilla.cases.counter import CounterPerson, Outcome, counter_identity
from ventanilla.cases.filing import FilingError
from ventanilla.cases.models import FilerKind, FilingChannel
from ventanilla.catalog.models import Service
from ventanilla.organization.models import Dependency, Role

PERSON = CounterPerson(
    id_type="CC", id_number="79845123", first_name="José", last_name="Pérez", phone="3201234567"
)


@pytest.fixture
def official(reference_service: Service) -> User:
    return factories.official(Dependency.objects.get(code="DIR-COBERTURA"), Role.HANDLER)


def identify(official: User, channel: str = FilingChannel.IN_PERSON, **person: Any) -> Any:
    values = {**PERSON.__dict__, **person}
    return counter_identity(
        official=official,
        channel=channel,
        person=CounterPerson(**values),
        consent_text=consent_text_current(),
        consent_method=ConsentMethod.VERBAL_COUNTER,
    )


def squatter() -> User:
    """Somebody who typed José's number at signup: nothing proves it is theirs."""
    return factories.user("impostor@example.co", id_type="CC", id_number="79845123")


def test_an_id_typed_at_signup_does_not_attract_the_case(official: User) -> None:
    squatter()
    identity = identify(official)
    assert identity.outcome == Outcome.CONTACT and identity.applicant is None
    assert identity.contact.id_number == "79845123"


def test_a_verified_account_gets_the_case(official: User, reference_service: Service) -> None:
    squatter()
    holder = factories.user("jose@example.co")
    id_document_verify(
        user=holder, method=IdVerification.PROVIDER, id_type="CC", id_number="79845123"
    )
    identity = identify(official, channel=FilingChannel.PHONE)
    assert (identity.outcome, identity.applicant) == (Outcome.VERIFIED_ACCOUNT, holder)


def test_the_official_who_sees_the_document_verifies_the_account_the_person_names(
    official: User,
) -> None:
    holder = factories.user("jose@example.co", id_type="CC", id_number="79845123")
    identity = identify(official, email="JOSE@example.co", document_seen=True)
    assert (identity.outcome, identity.applicant) == (Outcome.VERIFIED_NOW, holder)
    holder.refresh_from_db()
    assert (holder.id_verification, holder.id_verified_by) == ("official", official)


def test_naming_an_account_with_another_number_verifies_nothing(official: User) -> None:
    factories.user("jose@example.co", id_type="CC", id_number="1010101")
    identity = identify(official, email="jose@example.co", document_seen=True)
    assert identity.outcome == Outcome.CONTACT
    assert not User.objects.get(email="jose@example.co").id_is_verified


@pytest.mark.parametrize(
    ("channel", "seen"),
    [(FilingChannel.PHONE, True), (FilingChannel.IN_PERSON, False)],
)
def test_without_the_document_in_hand_nothing_is_verified_or_created(
    official: User, channel: str, seen: bool
) -> None:
    holder = factories.user("jose@example.co", id_type="CC", id_number="79845123")
    identity = identify(official, channel=channel, email="jose@example.co", document_seen=seen)
    assert identity.outcome == Outcome.CONTACT
    assert not User.objects.get(pk=holder.pk).id_is_verified
    identity = identify(official, channel=channel, email="nueva@example.co", document_seen=seen)
    assert identity.outcome == Outcome.CONTACT
    assert not User.objects.filter(email="nueva@example.co").exists()


def test_case_file_refuses_an_unverified_account_at_the_counter(
    official: User, reference_service: Service
) -> None:
    person = squatter()
    with pytest.raises(FilingError) as refused:
        file_one(
            reference_service,
            filer_kind=FilerKind.CITIZEN,
            applicant=person,
            contact=None,
            filed_by=official,
            channel=FilingChannel.IN_PERSON,
        )
    assert "no tiene el documento verificado" in str(refused.value)


def test_case_file_refuses_an_official_of_another_entity(reference_service: Service) -> None:
    elsewhere = factories.dependency("SECGEN", entity_code="SG")
    outsider = factories.official(elsewhere, Role.SUPERVISOR)
    with pytest.raises(FilingError) as refused:
        file_one(reference_service, filed_by=outsider, channel=FilingChannel.IN_PERSON)
    assert "filer" in refused.value.errors


def test_case_file_refuses_a_viewer(reference_service: Service) -> None:
    viewer = factories.official(Dependency.objects.get(code="DIR-COBERTURA"), Role.VIEWER)
    with pytest.raises(FilingError):
        file_one(reference_service, filed_by=viewer, channel=FilingChannel.IN_PERSON)


def test_case_file_refuses_a_channel_the_service_does_not_offer(
    official: User, reference_service: Service
) -> None:
    reference_service.channels = ["online", "in_person"]
    reference_service.save()
    with pytest.raises(FilingError) as refused:
        file_one(reference_service, filed_by=official, channel=FilingChannel.PHONE)
    assert "canal" in " ".join(refused.value.errors["service"])
    filed = file_one(reference_service, filed_by=official, channel=FilingChannel.IN_PERSON)
    assert filed.case.channel == "in_person"
