"""The authorisation matrix's table: for every route that takes an id, how to make the object
in organisation A, and who may see it and use the route.

A route that takes an id and is not in `MATRIX` (or in `NOT_A_RECORD`, with the reason) makes
`test_every_route_with_an_id_is_in_the_matrix` fail. To add one: write (or reuse) a builder
that makes the object in `world.organisation` and returns the route's keyword arguments, and
say with the rules below who sees the object and who may use the route. The rules come from
the selector that scopes the object (what it filters on, and which permission it asks for).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from schakel.accounts.models import Membership, Organisation, Role
from schakel.accounts.permissions import ROLE_PERMISSIONS

OWN = "own_organisation"
OTHER = "other_organisation"
FORMER = "former_member"
ORG_GONE = "organisation_deactivated"
ROLES = tuple(Role.values)


# -- who ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """Whether a role in a relation to organisation A passes."""

    test: Callable[[str, str], bool]
    text: str

    def __call__(self, role: str, relation: str) -> bool:
        return self.test(role, relation)

    def __or__(self, other: "Rule") -> "Rule":
        return Rule(lambda r, rel: self(r, rel) or other(r, rel), f"{self.text} or {other.text}")


def _has(role: str, permissions: tuple[str, ...]) -> bool:
    return not permissions or any(p in ROLE_PERMISSIONS[role] for p in permissions)


def own(*permissions: str) -> Rule:
    """Active members of organisation A with one of the permissions (any role without any)."""
    return Rule(lambda role, rel: rel == OWN and _has(role, permissions), f"own{permissions}")


def any_organisation(*permissions: str) -> Rule:
    """Active members of any organisation with one of the permissions: a national record or a
    shared catalogue that only some roles may manage."""
    return Rule(
        lambda role, rel: rel in (OWN, OTHER) and _has(role, permissions), f"any{permissions}"
    )


EVERYONE = Rule(lambda role, rel: True, "everyone")  # public pages: no login needed
NOBODY = Rule(lambda role, rel: False, "nobody")


@dataclass(frozen=True)
class Entry:
    """One route.

    - `see`: who may see the object at all. Everyone else gets 404, as for an id that does not
      exist, and their requests write nothing (not even to the processing log).
    - `use`: who may GET this route (default `see`). Someone who sees the object but may not use
      the route may get 400, 403, 404 or 405; nothing but the processing log changes.
    - `act`: who may POST/PUT/PATCH/DELETE (default `use`); they are not tried (the matrix does
      not write). Everyone else is, and is refused as above.
    - `ok`: the status of an allowed GET; `None` when the route has no GET (405 for everyone).
    - `refused`: the status for someone who may not see the object, when it is not 404; it must
      then equal the answer for an id that does not exist.

    Tokens of a former member, or of a member of a deactivated organisation, get 401.
    """

    build: Callable[["World"], dict]
    see: Rule
    use: Rule | None = None
    act: Rule | None = None
    ok: tuple[int, ...] | None = (200,)
    refused: tuple[int, ...] = (404,)

    def may_use(self, role, relation) -> bool:
        return (self.use or self.see)(role, relation) and self.see(role, relation)

    def may_act(self, role, relation) -> bool:
        return (self.act or self.use or self.see)(role, relation)


# -- the world ----------------------------------------------------------------------------------


@dataclass
class World:
    """Organisation A (which holds the objects), a professional of A who makes them, and one
    actor per role and relation. The former members are deactivated after the build."""

    organisation: Organisation
    owner: Membership
    actors: dict[tuple[str, str], Membership]
    cache: dict = field(default_factory=dict)

    def of_organisation(self) -> list[Membership]:
        """The actors in A (own and former): builders give them the object's own relation
        (a case membership, say), so that only their organisation and role decide."""
        return [m for (_, rel), m in self.actors.items() if rel in (OWN, FORMER)]


def make_world() -> World:
    from tests.accounts.factories import MembershipFactory, OrganisationFactory

    a = OrganisationFactory(name="Organisatie A")
    b = OrganisationFactory(name="Organisatie B")
    owner = MembershipFactory(role=Role.PROFESSIONAL, organisation=a)
    actors = {}
    for role in ROLES:
        actors[role, OWN] = MembershipFactory(role=role, organisation=a)
        actors[role, OTHER] = MembershipFactory(role=role, organisation=b)
        actors[role, FORMER] = MembershipFactory(role=role, organisation=a)
    return World(organisation=a, owner=owner, actors=actors)


def _once(name):
    """Build an object once per world (several kwargs of one route may need it)."""

    def decorate(builder):
        def cached(world):
            if name not in world.cache:
                world.cache[name] = builder(world)
            return world.cache[name]

        return cached

    return decorate


# -- builders -----------------------------------------------------------------------------------


@_once("person")
def person(world):
    from tests.people.factories import LvbIndicationFactory, PersonFactory

    # An adult: for a minor, consent for some purposes is a parent's (random dates made it flaky).
    person = PersonFactory(
        owner_organisation=world.organisation, date_of_birth=datetime.date(2000, 5, 17)
    )
    LvbIndicationFactory(person=person)
    return person


@_once("assessment")
def assessment(world):
    from django.core.management import call_command

    from schakel.screening import selectors, services
    from tests.screening.factories import answers_all

    call_command("load_instruments", verbosity=0)
    key = "quickscan-ouders"
    return services.assessment_create(
        actor=world.owner,
        person=person(world),
        instrument_row=selectors.instrument_row_get(key=key),
        answers=answers_all(selectors.instrument_get(key=key)),
    )


@_once("instrument")
def instrument(world):
    from django.core.management import call_command

    call_command("load_instruments", verbosity=0)
    return "quickscan-ouders"


PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@_once("consent")
def consent(world):
    from schakel.privacy.services import consent_record
    from tests.accounts.factories import OrganisationFactory

    today = timezone.localdate()
    return consent_record(
        actor=world.owner,
        person=person(world),
        given_by="person",
        purposes=["referral"],
        data_categories=["identificatie"],
        recipient_organisations=[OrganisationFactory()],
        valid_from=today,
        valid_until=today + datetime.timedelta(days=90),
        method="written",
        understanding_checks=["teach_back"],
        evidence_file=SimpleUploadedFile("formulier.pdf", PDF, content_type="application/pdf"),
    )


def consent_evidence(world):
    from schakel.privacy.models import ConsentEvidence

    evidence = ConsentEvidence.objects.get(event__consent=consent(world))
    return {"public_id": consent(world).public_id, "evidence_id": evidence.public_id}


@_once("agreement")
def agreement(world):
    from tests.accounts.factories import OrganisationFactory
    from tests.privacy.factories import AgreementFactory

    return AgreementFactory(parties=[world.organisation, OrganisationFactory()])


@_once("decision")
def decision(world):
    from tests.privacy.factories import SharingDecisionFactory

    return SharingDecisionFactory(person=person(world), decided_by=world.owner)


@_once("subject_request")
def subject_request(world):
    from schakel.privacy.services import subject_request_register

    return subject_request_register(
        actor=world.owner,
        person=person(world),
        kind="access",
        requested_by="person",
        received_on=timezone.localdate(),
    )


@_once("case")
def case(world):
    """A case of A with one of everything, led by the own professional; every other actor of A
    is on it as a member, so that only the role decides (the need-to-know rules of a case have
    their own matrix in tests/cases/test_authorisation_matrix.py)."""
    from schakel.cases.models import CaseMember
    from tests.cases.factories import ALL_CASE_CATEGORIES, full_case

    lead = world.actors[Role.PROFESSIONAL, OWN]
    built = full_case(lead=lead)
    for membership in world.of_organisation():
        if membership == lead:
            continue
        CaseMember.objects.create(
            case=built["case"],
            membership=membership,
            organisation=membership.organisation,
            role="other",
            data_categories=ALL_CASE_CATEGORIES,
        )
    return built


def disclosure(world):
    from schakel.privacy.models import SharingBasis

    case(world)
    return SharingBasis.objects.filter(sender=world.organisation).exclude(kind="own").first()


@_once("received_card")
def received_card(world):
    """A crisis card of another organisation's case, shared with A (the police)."""
    from schakel.cases import services
    from tests.cases.factories import agreement_between, full_case

    Organisation.objects.filter(pk=world.organisation.pk).update(domain="politie")
    world.organisation.refresh_from_db()
    built = full_case()
    agreement_between(built["lead"].organisation, world.organisation)
    return services.crisis_card_share(
        actor=built["lead"], case=built["case"], recipient=world.organisation
    )


def case_kwargs(*, pk: str | None = None, offer_key: bool = False):
    def build(world):
        built = case(world)
        kwargs = {"public_id": built["case"].public_id}
        if pk:
            kwargs["pk"] = built[pk].pk
        if offer_key:
            kwargs["offer_key"] = built["offer"].key
        return kwargs

    return build


@_once("signal")
def signal(world):
    """A registration of A that matches one of another organisation (a school)."""
    from schakel.signal_index import services
    from tests.signal_index.factories import identifiers, professional

    today = timezone.localdate()
    ours = services.signal_register(
        actor=world.owner,
        context="zorgen_over_uitbuiting",
        identifiers=identifiers(1),
        contact_function="Mentor",
        contact_phone="020-555 12 34",
        today=today,
    )
    theirs = services.signal_register(
        actor=professional(Organisation.Domain.ONDERWIJS),
        context="zorgen_over_uitbuiting",
        identifiers=identifiers(1),
        contact_function="Mentor",
        contact_phone="020-555 12 34",
        today=today,
    )
    assert theirs.matches, "the two registrations should match"
    return {"registration": ours.registration, "match": theirs.matches[0]}


@_once("offer")
def offer(world):
    """An offer in the wegwijzer of a provider that is organisation A."""
    from tests.directory.factories import OfferFactory, ProviderFactory

    return OfferFactory(provider=ProviderFactory(organisation=world.organisation))


@_once("suggestion")
def suggestion(world):
    from schakel.directory.services import suggestion_submit

    return suggestion_submit(
        actor=world.owner,
        kind="correction",
        subject="Telefoonnummer",
        message="Het nummer is veranderd.",
        offer=offer(world),
    )


@_once("item")
def item(world):
    from tests.knowledge.factories import KnowledgeItemFactory

    return KnowledgeItemFactory(links=[{"url": "https://example.org/gids", "label": "Gids"}])


@_once("recommendation")
def recommendation(world):
    from tests.knowledge.factories import RecommendationFactory

    return RecommendationFactory()


@_once("statement")
def statement(world):
    from tests.knowledge.factories import StatementFactory

    return StatementFactory()


@_once("melding")
def melding(world):
    from tests.registry.factories import row, store

    return store(row())[0]


def monitor_table(world):
    from schakel.monitor import tables

    return next(iter(tables.TABLES))


@_once("membership")
def membership_of_a(world):
    """A colleague in A, whom an organisation administrator could manage."""
    from tests.accounts.factories import MembershipFactory

    return MembershipFactory(role=Role.PROFESSIONAL, organisation=world.organisation)


@_once("theme")
def theme(world):
    from tests.knowledge.factories import ThemeFactory

    return ThemeFactory()


def password_link(world):
    from django.contrib.auth.tokens import default_token_generator

    user = world.owner.user
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user) + "x",
    }


def unlock_link(world):
    from schakel.accounts.services import account_unlock_token

    user = world.owner.user
    user.locked_at = timezone.now()
    user.save(update_fields=["locked_at"])
    return {"token": account_unlock_token(user=user) + "x"}


# -- rules shared by several routes ------------------------------------------------------------

PERSON = own("person.view")
PERSON_EDIT = own("person.update")
CASE = own("case.view")
LEAD = Rule(lambda role, rel: role == Role.PROFESSIONAL and rel == OWN, "the case lead")
CONSENT = own("consent.record", "sharing.decide")
MANAGE_DIRECTORY = any_organisation("directory.manage")
CAPACITY = MANAGE_DIRECTORY | own("directory.update_capacity")
MANAGE_KNOWLEDGE = any_organisation("knowledge.manage")
ROUND_TABLES = any_organisation("recommendations.manage")
SIGNALS = own("signal.register")
REGISTRY = any_organisation("registry.view")
MONITOR = any_organisation("monitor.view")


def kw(**builders):
    """Keyword arguments from builders of objects: kw(public_id=(person, "public_id"))."""

    def build(world):
        return {name: getattr(make(world), attr) for name, (make, attr) in builders.items()}

    return build


def _case_routes(prefix: str, routes: dict[str, tuple]) -> dict[str, Entry]:
    return {
        f"{prefix}{name}": Entry(case_kwargs(**spec[0]), CASE, **spec[1])
        for name, spec in routes.items()
    }


MATRIX: dict[str, Entry] = {
    # -- accounts ---------------------------------------------------------------------------
    "accounts:organisation_member_action": Entry(
        lambda w: {"pk": membership_of_a(w).pk, "action": "beeindigen"},
        own("organisation.manage_users"),
        ok=None,
    ),
    "accounts:password_setup": Entry(password_link, NOBODY, refused=(400,)),
    "accounts:unlock": Entry(unlock_link, NOBODY, refused=(400,)),
    # -- people -----------------------------------------------------------------------------
    "people:detail": Entry(kw(public_id=(person, "public_id")), PERSON),
    "people:edit": Entry(kw(public_id=(person, "public_id")), PERSON, use=PERSON_EDIT),
    "people:lvb_add": Entry(kw(public_id=(person, "public_id")), PERSON, act=PERSON_EDIT, ok=None),
    "api-person-detail": Entry(kw(public_id=(person, "public_id")), PERSON, act=PERSON_EDIT),
    "api-person-lvb-indications": Entry(
        kw(public_id=(person, "public_id")), PERSON, act=PERSON_EDIT
    ),
    # -- screening --------------------------------------------------------------------------
    "screening:assessment": Entry(kw(public_id=(assessment, "public_id")), PERSON),
    "screening:assessment_pdf": Entry(kw(public_id=(assessment, "public_id")), PERSON),
    "screening:assessment_lvb": Entry(
        kw(public_id=(assessment, "public_id")), PERSON, act=PERSON_EDIT, ok=None
    ),
    "screening:person": Entry(kw(public_id=(person, "public_id")), PERSON),
    "screening:start": Entry(lambda w: {"key": instrument(w)}, EVERYONE),
    "screening:fill": Entry(lambda w: {"key": instrument(w)}, EVERYONE),
    "screening:result": Entry(lambda w: {"key": instrument(w)}, EVERYONE, ok=None),
    "screening:result_pdf": Entry(lambda w: {"key": instrument(w)}, EVERYONE, ok=None),
    "api-instrument-detail": Entry(lambda w: {"key": instrument(w)}, EVERYONE),
    "api-assessment-detail": Entry(kw(public_id=(assessment, "public_id")), PERSON),
    # -- privacy ----------------------------------------------------------------------------
    "privacy:decision_detail": Entry(kw(public_id=(decision, "public_id")), own("sharing.decide")),
    "privacy:consent_detail": Entry(kw(public_id=(consent, "public_id")), CONSENT),
    "privacy:consent_evidence": Entry(consent_evidence, CONSENT, use=own("consent.record")),
    "privacy:consent_action": Entry(
        lambda w: {"public_id": consent(w).public_id, "action": "intrekken"},
        CONSENT,
        act=own("consent.record"),
        ok=None,
    ),
    "privacy:easy_read": Entry(
        lambda w: {"purpose": "referral"}, any_organisation("consent.record", "sharing.decide")
    ),
    "privacy:agreement_detail": Entry(
        kw(public_id=(agreement, "public_id")),
        own("agreement.manage", "sharing.decide"),
        act=own("agreement.manage"),
    ),
    "privacy:disclosure_detail": Entry(
        kw(public_id=(disclosure, "public_id")), own("sharing.decide", "privacy.settings")
    ),
    "privacy:request_detail": Entry(
        kw(public_id=(subject_request, "public_id")), own("privacy.requests")
    ),
    "privacy:request_export": Entry(
        kw(public_id=(subject_request, "public_id")), own("privacy.requests")
    ),
    "api-consent-detail": Entry(kw(public_id=(consent, "public_id")), CONSENT),
    "api-consent-give": Entry(kw(public_id=(consent, "public_id")), CONSENT, ok=None),
    "api-consent-refuse": Entry(kw(public_id=(consent, "public_id")), CONSENT, ok=None),
    "api-consent-withdraw": Entry(kw(public_id=(consent, "public_id")), CONSENT, ok=None),
    "api-consent-renew": Entry(kw(public_id=(consent, "public_id")), CONSENT, ok=None),
    "api-agreement-detail": Entry(
        kw(public_id=(agreement, "public_id")), own("agreement.manage", "sharing.decide")
    ),
    "api-agreement-end": Entry(
        kw(public_id=(agreement, "public_id")),
        own("agreement.manage", "sharing.decide"),
        act=own("agreement.manage"),
        ok=None,
    ),
    "api-sharing-decision-detail": Entry(
        kw(public_id=(decision, "public_id")), own("sharing.decide")
    ),
    "api-sharing-basis-detail": Entry(
        kw(public_id=(disclosure, "public_id")), own("sharing.decide", "privacy.settings")
    ),
    "api-subject-request-detail": Entry(
        kw(public_id=(subject_request, "public_id")), own("privacy.requests")
    ),
    "api-subject-request-step": Entry(
        kw(public_id=(subject_request, "public_id")), own("privacy.requests"), ok=None
    ),
    "api-subject-request-export": Entry(
        kw(public_id=(subject_request, "public_id")), own("privacy.requests")
    ),
    # -- directory (the wegwijzer is public; the provider's own admins keep its capacity) ---
    "directory:offer_detail": Entry(kw(key=(offer, "key")), EVERYONE),
    "directory:capacity_update": Entry(kw(key=(offer, "key")), EVERYONE, use=CAPACITY),
    "directory:offer_edit": Entry(kw(key=(offer, "key")), EVERYONE, use=MANAGE_DIRECTORY),
    "directory:history": Entry(kw(key=(offer, "key")), EVERYONE, use=CAPACITY),
    "directory:provider_detail": Entry(lambda w: {"key": offer(w).provider.key}, EVERYONE),
    "directory:provider_edit": Entry(
        lambda w: {"key": offer(w).provider.key}, EVERYONE, use=MANAGE_DIRECTORY
    ),
    "directory:suggestion_review": Entry(kw(pk=(suggestion, "pk")), MANAGE_DIRECTORY),
    "api-directory-offer": Entry(kw(key=(offer, "key")), EVERYONE, act=MANAGE_DIRECTORY),
    "api-directory-offer-capacity": Entry(kw(key=(offer, "key")), EVERYONE, act=CAPACITY, ok=None),
    # -- knowledge (items and recommendations are public; round tables for their keepers) ---
    "knowledge:item": Entry(kw(slug=(item, "slug")), EVERYONE),
    "knowledge:item_link": Entry(
        lambda w: {"slug": item(w).slug, "number": 1}, EVERYONE, ok=(302,)
    ),
    "knowledge:item_edit": Entry(kw(slug=(item, "slug")), EVERYONE, use=MANAGE_KNOWLEDGE),
    "knowledge:item_history": Entry(kw(slug=(item, "slug")), EVERYONE, use=MANAGE_KNOWLEDGE),
    "knowledge:recommendation": Entry(kw(code=(recommendation, "code")), EVERYONE),
    "knowledge:status_update_add": Entry(
        kw(code=(recommendation, "code")),
        EVERYONE,
        use=any_organisation("recommendations.manage"),
        ok=None,
    ),
    "knowledge:session": Entry(lambda w: {"pk": statement(w).session_id}, ROUND_TABLES),
    "knowledge:statement_edit": Entry(kw(pk=(statement, "pk")), ROUND_TABLES),
    "knowledge:statement_delete": Entry(kw(pk=(statement, "pk")), ROUND_TABLES, ok=None),
    "knowledge:theme_report": Entry(kw(number=(theme, "number")), ROUND_TABLES),
    "api-knowledge-item-detail": Entry(kw(slug=(item, "slug")), EVERYONE, act=MANAGE_KNOWLEDGE),
    "api-knowledge-item-history": Entry(kw(slug=(item, "slug")), MANAGE_KNOWLEDGE),
    "api-recommendation-detail": Entry(
        kw(code=(recommendation, "code")), EVERYONE, act=ROUND_TABLES
    ),
    "api-recommendation-status-updates": Entry(
        kw(code=(recommendation, "code")), EVERYONE, act=ROUND_TABLES
    ),
    # -- registry (national: the registration office sees every melding) -------------------
    "registry:detail": Entry(kw(melding_id=(melding, "melding_id")), REGISTRY),
    "api-registry-melding": Entry(kw(melding_id=(melding, "melding_id")), REGISTRY),
    # -- signal index (an organisation reads its own registrations and its matches) --------
    "signal_index:detail": Entry(
        lambda w: {"public_id": signal(w)["registration"].public_id}, SIGNALS
    ),
    "signal_index:withdraw": Entry(
        lambda w: {"public_id": signal(w)["registration"].public_id}, SIGNALS
    ),
    "signal_index:match": Entry(lambda w: {"public_id": signal(w)["match"].public_id}, SIGNALS),
    "signal_index:match_lead": Entry(
        lambda w: {"public_id": signal(w)["match"].public_id}, SIGNALS, ok=None
    ),
    "signal_index:match_invite": Entry(
        lambda w: {"public_id": signal(w)["match"].public_id}, SIGNALS, ok=None
    ),
    "api-signal-detail": Entry(
        lambda w: {"public_id": signal(w)["registration"].public_id}, SIGNALS
    ),
    # -- monitor (aggregates for analysts and the registration office) ---------------------
    "monitor:table": Entry(lambda w: {"table_id": monitor_table(w)}, MONITOR),
    "monitor:download": Entry(lambda w: {"table_id": monitor_table(w), "fmt": "csv"}, MONITOR),
    "api-monitor-table": Entry(lambda w: {"table_id": monitor_table(w)}, MONITOR),
    # -- cases: crisis cards received by A (the police) ------------------------------------
    "cases:received_card": Entry(kw(public_id=(received_card, "public_id")), CASE),
    "api-case-card-received": Entry(kw(public_id=(received_card, "public_id")), CASE),
    # -- cases of A -------------------------------------------------------------------------
    **_case_routes(
        "cases:",
        {
            "detail": ({}, {}),
            "edit": ({}, {"use": LEAD}),
            "close": ({}, {"use": LEAD}),
            "reopen": ({}, {"use": LEAD}),
            "residence": ({}, {"use": LEAD}),
            "timeline": ({}, {}),
            "event_correct": ({"pk": "event"}, {}),
            "team": ({}, {}),
            "member_add": ({}, {"use": LEAD}),
            "member_edit": ({"pk": "guest_member"}, {"use": LEAD}),
            "member_end": ({"pk": "guest_member"}, {"ok": None}),
            "member_recheck": ({"pk": "guest_member"}, {"ok": None}),
            "backup": ({}, {"use": LEAD}),
            "handover_offer": ({}, {"use": LEAD}),
            "handover": ({"pk": "handover"}, {}),
            "help": ({}, {}),
            "referral_search": ({}, {"use": LEAD}),
            "referral_create": ({"offer_key": True}, {"use": LEAD}),
            "referral": ({"pk": "referral"}, {}),
            "placement_create": ({}, {"use": LEAD}),
            "placement": ({"pk": "placement"}, {}),
            "meetings": ({}, {}),
            "meeting_create": ({}, {"use": LEAD}),
            "meeting": ({"pk": "meeting"}, {}),
            "tasks": ({}, {}),
            "task_create": ({}, {"use": LEAD}),
            "task": ({"pk": "task"}, {}),
            "aftercare": ({}, {}),
            "crisis_card": ({}, {}),
            "crisis_card_print": ({}, {}),
            "crisis_card_share": ({}, {"ok": None}),
            "crisis_card_revoke": ({"pk": "share"}, {"ok": None}),
            "easy_read": ({}, {}),
        },
    ),
    **_case_routes(
        "api-case-",
        {
            "detail": ({}, {}),
            "close": ({}, {"ok": None}),
            "reopen": ({}, {"ok": None}),
            "backup": ({}, {"ok": None}),
            "residence": ({}, {"ok": None}),
            "figures": ({}, {}),
            "timeline": ({}, {}),
            "members": ({}, {}),
            "member": ({"pk": "guest_member"}, {}),
            "member-end": ({"pk": "guest_member"}, {"ok": None}),
            "member-recheck": ({"pk": "guest_member"}, {"ok": None}),
            "handovers": ({}, {}),
            "handover-accept": ({"pk": "handover"}, {"ok": None}),
            "handover-decline": ({"pk": "handover"}, {"ok": None}),
            "handover-withdraw": ({"pk": "handover"}, {"ok": None}),
            "referrals": ({}, {}),
            "referral-options": ({}, {}),
            "referral": ({"pk": "referral"}, {}),
            "referral-transition": ({"pk": "referral"}, {"ok": None}),
            "placements": ({}, {}),
            "placement": ({"pk": "placement"}, {}),
            "meetings": ({}, {}),
            "meeting": ({"pk": "meeting"}, {}),
            "meeting-decisions": ({"pk": "meeting"}, {"ok": None}),
            "tasks": ({}, {}),
            "task": ({"pk": "task"}, {}),
            "aftercare": ({}, {}),
            "crisis-card": ({}, {}),
            "crisis-card-shares": ({}, {}),
            "crisis-card-share-revoke": ({"pk": "share"}, {"ok": None}),
        },
    ),
}

# Routes with a keyword argument that is not the id of a record, and why.
NOT_A_RECORD: dict[str, str] = {
    "directory:export": "`fmt` is a file format; the export is for functional admins",
}

# Keyword arguments that are not ids: kept as they are when the test makes up an id.
NOT_ID_KWARGS = {"action", "fmt", "token"}
