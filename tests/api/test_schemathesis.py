"""A bounded schemathesis run: every operation of the OpenAPI schema, as a professional, a
registrar and a functional admin, on seeded data.

The bar is 0 server errors and 0 responses that contradict the schema (status code, content type,
body). The run is fixed (derandomized) and small, so it is the same on every machine and stays
within a few minutes; each role is its own test, so xdist spreads them over the workers.

Each request runs in a savepoint that is rolled back afterwards: every example meets the same
seeded data, so a run does not depend on what an earlier example created or closed.
"""

import datetime
import io
import re

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.errors import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from schakel.accounts.models import Role
from schakel.accounts.services import api_token_issue
from schakel.knowledge.models import Recommendation
from schakel.people import crypto
from schakel.privacy import services as privacy_services
from schakel.privacy.models import SharingBasis
from schakel.screening import services as screening_services
from schakel.screening.models import InstrumentVersion
from tests.accounts.factories import MembershipFactory
from tests.cases.factories import full_case
from tests.knowledge.factories import KnowledgeItemFactory, RecommendationFactory
from tests.privacy.factories import ConsentFactory, SharingDecisionFactory
from tests.registry.factories import row, store
from tests.screening.factories import answers_all
from tests.signal_index.factories import identifiers, register

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 5
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
ROLES = [Role.PROFESSIONAL, Role.REGISTRAR, Role.FUNCTIONAL_ADMIN]


class RolledBackApp:
    """The Django WSGI application, each request in a savepoint that is rolled back."""

    def __init__(self):
        self.handler = WSGIHandler()

    def __call__(self, environ, start_response):
        savepoint = transaction.savepoint()
        try:
            response = self.handler(environ, start_response)
            try:
                body = b"".join(response)  # a streamed export runs its queries here
            finally:
                response.close()
        finally:
            transaction.savepoint_rollback(savepoint)
        return [body]


@pytest.fixture
def wsgi_app():
    # As the test client does: closing "old" connections when a request starts or finishes would
    # close the test's transaction (on PostgreSQL).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield RolledBackApp()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _seed() -> dict:
    """One of everything the API addresses by id, visible to the roles under test."""
    crypto._ring.cache_clear()
    call_command("load_instruments", verbosity=0)
    call_command("load_reference_data", verbosity=0, stdout=io.StringIO())
    built = full_case()
    professional = built["lead"]
    organisation = professional.organisation
    registrar = MembershipFactory(role=Role.REGISTRAR)
    admin = MembershipFactory(role=Role.FUNCTIONAL_ADMIN)
    person = built["case"].person
    consent = ConsentFactory(person=person)
    decision = SharingDecisionFactory(person=person, decided_by=professional)
    request = privacy_services.subject_request_register(
        actor=professional,
        person=person,
        kind="access",
        requested_by="person",
        received_on=datetime.date.today(),
    )
    instrument = InstrumentVersion.objects.get(key="aanwijzingen-lvb", version=1)
    assessment = screening_services.assessment_create(
        actor=professional,
        person=person,
        instrument_row=instrument,
        answers=answers_all(screening_services.selectors.instrument_of(instrument)),
    )
    signal = register(professional, identifiers(7))
    melding = store(row())[0]
    item = KnowledgeItemFactory()
    recommendation = RecommendationFactory(kind=Recommendation.PointKind.RECOMMENDATION)
    offer = built["offer"]
    agreement = organisation.privacy_agreements.first()
    basis = SharingBasis.objects.filter(sender=organisation).first()
    ids = {
        r"/persons/\{public_id\}": {"public_id": str(person.public_id)},
        r"/cases/\{public_id\}/members/\{id\}": {"id": built["guest_member"].pk},
        r"/cases/\{public_id\}/referrals/\{id\}": {"id": built["referral"].pk},
        r"/cases/\{public_id\}/placements/\{id\}": {"id": built["placement"].pk},
        r"/cases/\{public_id\}/meetings/\{id\}": {"id": built["meeting"].pk},
        r"/cases/\{public_id\}/tasks/\{id\}": {"id": built["task"].pk},
        r"/cases/\{public_id\}/handovers/\{id\}": {"id": built["handover"].pk},
        r"/cases/\{public_id\}/crisis-card/shares/\{id\}": {"id": built["share"].pk},
        r"/cases/\{public_id\}": {"public_id": str(built["case"].public_id)},
        r"/cases/crisis-cards/\{public_id\}": {"public_id": str(built["share"].public_id)},
        r"/consents/\{public_id\}": {"public_id": str(consent.public_id)},
        r"/agreements/\{public_id\}": {"public_id": str(agreement.public_id)},
        r"/sharing-decisions/\{public_id\}": {"public_id": str(decision.public_id)},
        r"/subject-requests/\{public_id\}": {"public_id": str(request.public_id)},
        r"/assessments/\{public_id\}": {"public_id": str(assessment.public_id)},
        r"/signals/\{public_id\}": {"public_id": str(signal.registration.public_id)},
        r"/directory/offers/\{key\}": {"key": offer.key},
        r"/instruments/\{key\}": {"key": "aanwijzingen-lvb"},
        r"/knowledge/items/\{slug\}": {"slug": item.slug},
        r"/recommendations/\{code\}": {"code": recommendation.code},
        r"/monitor/tables/\{table_id\}": {"table_id": "slachtoffers_per_jaar"},
        r"/registry/meldingen/\{melding_id\}": {"melding_id": melding.melding_id},
        r"/sharing-bases/\{public_id\}": {"public_id": str(basis.public_id)},
    }
    tokens = {}
    for membership in (professional, registrar, admin):
        _token, plaintext = api_token_issue(membership=membership)
        tokens[membership.role] = plaintext
    return {"tokens": tokens, "ids": ids}


def _known_ids(path: str, ids: dict) -> dict:
    """The seeded ids for the parameters of `path` (the most specific patterns first)."""
    found: dict = {}
    for pattern, values in ids.items():
        if re.search(pattern, path):
            for name, value in values.items():
                found.setdefault(name, value)
    return found


def _run(operation, strategy, headers, failures: dict) -> None:
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(case=strategy)
    def run(case):
        response = case.call(headers=headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except FailureGroup as group:
            for failure in group.exceptions:
                key = (operation.label, response.status_code, failure.title)
                failures.setdefault(
                    key,
                    f"{operation.label} -> {response.status_code}: {failure.title}\n"
                    f"    {failure.message[:400]}\n    {case.as_curl_command(headers)}",
                )

    run()


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_keeps_to_the_schema(role, wsgi_app):
    seeded = _seed()
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_app)
    headers = {"Authorization": f"Bearer {seeded['tokens'][role]}"}
    failures: dict = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 100
    for operation in operations:
        known = _known_ids(operation.path, seeded["ids"])
        _run(operation, operation.as_strategy(), headers, failures)
        if known:
            _run(operation, operation.as_strategy(path_parameters=known), headers, failures)
        try:
            negative = operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)
            _run(operation, negative, headers, failures)
        except Unsatisfiable:
            pass  # nothing in this operation can be made invalid (no parameters, no body)
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures.values())
