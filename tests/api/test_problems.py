from django.core.exceptions import ValidationError
from rest_framework import serializers

from schakel.api.problems import _flatten, problem_exception_handler


def test_validation_errors_name_every_field():
    response = problem_exception_handler(
        serializers.ValidationError({"bsn": ["Dit BSN klopt niet."], "address": {"city": ["x"]}}),
        {},
    )
    assert response.status_code == 400
    assert response.content_type == "application/problem+json"
    names = [p["name"] for p in response.data["invalid_params"]]
    assert names == ["bsn", "address.city"]
    assert "bsn" in response.data["detail"]


def test_django_validation_error_becomes_problem():
    response = problem_exception_handler(ValidationError({"surname": ["Verplicht."]}), {})
    assert response.status_code == 400
    assert response.data["invalid_params"] == [{"name": "surname", "reason": "Verplicht."}]


def test_flatten_lists_of_objects():
    assert _flatten([{"a": ["x"]}], "items") == [{"name": "items[0].a", "reason": "x"}]
