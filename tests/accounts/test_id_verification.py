"""Whose ID document is proven: by the identity provider or an official; a change undoes it."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories
from ventanilla.accounts.adapter import identity_from_provider
from ventanilla.accounts.models import IdVerification, User
from ventanilla.accounts.services import IdentityError, id_document_verify, profile_update

pytestmark = pytest.mark.django_db


def test_the_provider_vouches_for_the_document_it_names() -> None:
    person = factories.user("luz@example.co", id_type="CC", id_number="999")
    identity_from_provider(
        person, {"userinfo": {"document_type": "cc", "document_number": "52.123.456"}}
    )
    person.refresh_from_db()
    assert (person.id_type, person.id_number) == ("CC", "52123456")
    assert person.id_verification == IdVerification.PROVIDER and person.id_is_verified


@pytest.mark.parametrize(
    "claims",
    [{}, {"document_type": "XX", "document_number": "1"}, {"document_type": "CC"}],
)
def test_claims_without_a_usable_document_prove_nothing(claims: dict[str, Any]) -> None:
    person = factories.user("luz@example.co", id_type="CC", id_number="52123456")
    identity_from_provider(person, {"id_token": claims})
    person.refresh_from_db()
    assert not person.id_is_verified


def test_a_number_verified_in_one_account_is_not_verified_in_another() -> None:
    first = factories.user("a@example.co", id_type="CC", id_number="52123456")
    second = factories.user("b@example.co", id_type="CC", id_number="52123456")
    official = factories.user("funcionaria@example.co")
    id_document_verify(user=first, method=IdVerification.OFFICIAL, by=official)
    with pytest.raises(IdentityError):
        id_document_verify(user=second, method=IdVerification.OFFICIAL, by=official)
    assert not User.objects.get(pk=second.pk).id_is_verified


def test_changing_the_number_undoes_the_verification() -> None:
    person = factories.user("a@example.co", id_type="CC", id_number="52123456")
    id_document_verify(user=person, method=IdVerification.PROVIDER)
    profile = {
        "first_name": "Ana",
        "last_name": "Ruiz",
        "phone": "",
        "preferred_language": "es",
    }
    profile_update(user=person, id_type="CC", id_number="52123456", **profile)
    assert User.objects.get(pk=person.pk).id_is_verified  # same number: still verified
    profile_update(user=person, id_type="CC", id_number="79845123", **profile)
    assert not User.objects.get(pk=person.pk).id_is_verified
