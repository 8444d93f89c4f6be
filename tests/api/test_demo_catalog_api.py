"""The API lists every demo service, and each one's form is valid JSON Schema."""

from __future__ import annotations

import jsonschema
import pytest
from django.test import Client

from ventanilla.demo.load import catalog_load
from ventanilla.demo.organizations import organizations_load


@pytest.mark.django_db
def test_every_demo_service_is_listed_with_a_valid_json_schema(client: Client) -> None:
    organizations_load()
    catalog_load()
    slugs = []
    page = 1
    while True:
        body = client.get(f"/api/v1/services?page={page}").json()
        slugs += [item["slug"] for item in body["items"]]
        if len(slugs) >= body["count"]:
            break
        page += 1
    assert len(slugs) == body["count"] >= 50
    for slug in slugs:
        detail = client.get(f"/api/v1/services/{slug}").json()
        jsonschema.Draft202012Validator.check_schema(detail["form_schema"])
        assert detail["term"]["amount"] > 0, slug
