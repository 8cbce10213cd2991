"""Knowledge items: validation, permissions, append-only history, stale edits, the seed loader."""

from pathlib import Path

import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError

from schakel.knowledge import data, services
from schakel.knowledge.models import ItemRevision, KnowledgeItem, Recommendation

pytestmark = pytest.mark.django_db

VALID = {
    "title": "Stappenplan voor docenten",
    "kind": "guide",
    "description": "Wat doe je als een leerling mogelijk wordt uitgebuit?",
    "audiences": ["schools"],
    "lvb_suitability": "attention",
}


def create(actor, **changes):
    return services.item_create(actor=actor, **(VALID | changes))


# -- create and update -------------------------------------------------------------------------


def test_create_writes_item_facets_index_and_first_revision(functional_admin):
    item = create(functional_admin, forms=["criminal"], year=2024, publisher="Een school")
    assert item.slug == "stappenplan-voor-docenten"
    assert item.version == 1 and item.origin == "local"
    assert [r.audience for r in item.audience_rows.all()] == ["schools"]
    assert [r.form for r in item.form_rows.all()] == ["criminal"]
    assert item.search_terms.exists()
    revision = item.revisions.get()
    assert revision.action == ItemRevision.Action.CREATED
    assert revision.changed_by == functional_admin
    assert revision.snapshot["title"] == VALID["title"]
    assert revision.snapshot["forms"] == ["criminal"]


def test_slugs_stay_unique(functional_admin):
    first, second = create(functional_admin), create(functional_admin)
    assert (first.slug, second.slug) == ("stappenplan-voor-docenten", "stappenplan-voor-docenten-2")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"kind": "poster"}, "kind"),
        ({"description": "kort"}, "description"),
        ({"audiences": []}, "audiences"),
        ({"audiences": ["aliens"]}, "audiences"),
        ({"forms": ["piracy"]}, "forms"),
        ({"lvb_suitability": ""}, "lvb_suitability"),
        ({"language_level": "klingon"}, "language_level"),
        ({"year": 1850}, "year"),
        ({"year": "vorig jaar"}, "year"),
        ({"links": ["javascript:alert(1)"]}, "links"),
        ({"links": [{"url": "ftp://example.org/x", "label": "x"}]}, "links"),
        ({"links": ["https://example.org/" + str(n) for n in range(11)]}, "links"),
    ],
)
def test_invalid_input_names_the_field_and_changes_nothing(functional_admin, changes, field):
    with pytest.raises(ValidationError) as caught:
        create(functional_admin, **changes)
    assert field in caught.value.message_dict
    assert not KnowledgeItem.objects.exists()
    assert not ItemRevision.objects.exists()


def test_links_keep_the_address_as_given(functional_admin):
    item = create(
        functional_admin,
        links=[
            "https://www.koraal.nl/seksuele-uitbuiting",
            {"url": "https://youtu.be/yhHSTPgPsWI", "label": "Video"},
        ],
    )
    assert item.links == [
        {
            "url": "https://www.koraal.nl/seksuele-uitbuiting",
            "label": "https://www.koraal.nl/seksuele-uitbuiting",
        },
        {"url": "https://youtu.be/yhHSTPgPsWI", "label": "Video"},
    ]


def test_address_with_a_space_is_refused(functional_admin):
    with pytest.raises(ValidationError) as caught:
        create(functional_admin, links=[{"url": "https://x.nl/a b", "label": ""}])
    assert "links" in caught.value.message_dict


@pytest.mark.parametrize("role_fixture", ["professional", "analyst"])
def test_only_functional_admins_edit(request, role_fixture):
    actor = request.getfixturevalue(role_fixture)
    with pytest.raises(PermissionDenied):
        create(actor)
    with pytest.raises(PermissionDenied):
        services.item_create(actor=None, **VALID)


def test_update_appends_a_revision_with_the_changed_fields(functional_admin):
    item = create(functional_admin)
    item = services.item_update(
        actor=functional_admin,
        item=item,
        expected_version=1,
        note="Titel verduidelijkt",
        title="Stappenplan voor docenten in het mbo",
        audiences=["schools", "youth_work"],
    )
    assert item.version == 2
    revisions = list(item.revisions.order_by("version"))
    assert [r.version for r in revisions] == [1, 2]
    first, second = revisions
    assert second.action == ItemRevision.Action.UPDATED
    assert second.changed_fields == ["audiences", "title"]
    assert second.note == "Titel verduidelijkt"
    assert second.snapshot["audiences"] == ["schools", "youth_work"]
    # The first revision is untouched: history is appended, never edited.
    assert first.snapshot["title"] == VALID["title"]
    assert first.snapshot["audiences"] == ["schools"]


def test_update_without_changes_writes_nothing(functional_admin):
    item = create(functional_admin)
    same = services.item_update(
        actor=functional_admin, item=item, expected_version=1, title=VALID["title"]
    )
    assert same.version == 1
    assert item.revisions.count() == 1


def test_stale_edit_is_refused(functional_admin):
    item = create(functional_admin)
    services.item_update(actor=functional_admin, item=item, expected_version=1, year=2020)
    with pytest.raises(services.StaleEdit) as caught:
        services.item_update(actor=functional_admin, item=item, expected_version=1, year=2021)
    assert caught.value.current_version == 2
    assert KnowledgeItem.objects.get(pk=item.pk).year == 2020


def test_withdraw_and_republish_are_named_in_the_history(functional_admin):
    item = create(functional_admin)
    services.item_update(actor=functional_admin, item=item, expected_version=1, is_published=False)
    services.item_update(actor=functional_admin, item=item, expected_version=2, is_published=True)
    actions = list(item.revisions.order_by("version").values_list("action", flat=True))
    assert actions == ["created", "withdrawn", "republished"]


def test_update_refuses_unknown_fields(functional_admin):
    item = create(functional_admin)
    with pytest.raises(TypeError):
        services.item_update(actor=functional_admin, item=item, expected_version=1, slug="x")


# -- loading the data files --------------------------------------------------------------------

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "domain" / "domain-directory.yaml"
KNOWLEDGE_SECTIONS = (
    "instrumenten",
    "handreikingen_en_factsheets",
    "trainingen",
    "lespakketten",
    "video_en_audio",
    "kennisdossiers",
    "rapporten",
)


def test_load_creates_every_item_and_point_once(loaded):
    assert (loaded.items_created, loaded.points_created, loaded.themes) == (61, 129, 9)
    again = services.knowledge_load()
    assert (again.items_created, again.items_updated, again.items_unchanged) == (0, 0, 61)
    assert (again.points_created, again.points_updated, again.points_unchanged) == (0, 0, 129)
    assert ItemRevision.objects.count() == 61
    assert Recommendation.objects.filter(kind="bottleneck").count() == 25
    assert Recommendation.objects.filter(kind="recommendation").count() == 104


@pytest.mark.skipif(not SHARED.exists(), reason="../shared is not beside the project")
def test_every_knowledge_item_of_the_domain_directory_is_loaded(loaded):
    directory = yaml.safe_load(SHARED.read_text(encoding="utf-8"))
    expected = {entry["id"] for section in KNOWLEDGE_SECTIONS for entry in directory[section]}
    expected.add("wegwijzer_mensenhandel")  # an instrument listed with the hotlines
    loaded_slugs = set(KnowledgeItem.objects.values_list("slug", flat=True))
    assert expected <= loaded_slugs
    by_id = {e["id"]: e for s in KNOWLEDGE_SECTIONS for e in directory[s]}
    for item in KnowledgeItem.objects.filter(slug__in=by_id):
        entry = by_id[item.slug]
        # Our own words, not the directory's 'wat' sentence.
        assert item.description.strip() != entry["wat"].strip(), item.slug
        printed = entry.get("contact") or {}
        urls = printed.get("urls") or ([printed["url"]] if printed.get("url") else [])
        assert [link["url"] for link in item.links] == urls, item.slug


def test_seed_items_link_exactly_as_printed(loaded):
    item = KnowledgeItem.objects.get(slug="factsheet_uitbuiting_lvb")
    assert item.links[0]["url"] == "https://youtu.be/yhHSTPgPsWI"


def test_recommendation_addressees_keep_explicit_and_derived_apart(loaded):
    point = Recommendation.objects.get(code="2.2-A1")
    rows = {(r.addressee, r.derived) for r in point.addressee_rows.all()}
    assert rows == {("jenv", False), ("vws", False), ("ocw", False)}
    derived = Recommendation.objects.get(code="3.1.4")
    assert all(r.derived for r in derived.addressee_rows.all())
    assert Recommendation.objects.get(code="3.2.11").addressee_rows.get().derived is False
    assert Recommendation.objects.get(code="3.7.1").addressee_text == "overheid (in tekst genoemd)"
    assert Recommendation.objects.get(code="2.1-K1").theme.number == 1
    assert Recommendation.objects.get(code="3.6.1").theme.title == "Arbeidsuitbuiting"


def test_loader_keeps_edits_made_in_schakel(loaded, functional_admin, monkeypatch, tmp_path):
    item = KnowledgeItem.objects.get(slug="scil")
    services.item_update(
        actor=functional_admin, item=item, expected_version=1, publisher="Ons eigen veld"
    )
    document = yaml.safe_load(data.ITEMS_FILE.read_text(encoding="utf-8"))
    for entry in document["items"]:
        if entry["slug"] in ("scil", "meldcode"):
            entry["keywords"] += " gewijzigd"
    changed = tmp_path / "items.yaml"
    changed.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    original = data.load_items_file
    monkeypatch.setattr(data, "load_items_file", lambda: original(changed))
    result = services.knowledge_load()
    assert result.items_kept_local == ["scil"]
    assert result.items_updated == 1
    assert KnowledgeItem.objects.get(slug="scil").publisher == "Ons eigen veld"
    meldcode = KnowledgeItem.objects.get(slug="meldcode")
    assert meldcode.keywords.endswith("gewijzigd") and meldcode.version == 2
    assert meldcode.revisions.order_by("-version").first().action == ItemRevision.Action.LOADED


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["items"][0].update(kind="poster"), "items/0/kind"),
        (lambda d: d["items"].append(dict(d["items"][0])), "duplicate slugs: 11vb"),
        (lambda d: d["items"][1].update(audiences=["aliens"]), "items/1/audiences/0"),
        (lambda d: d["items"][2]["links"].append({"url": "javascript:x", "label": "x"}), "links"),
    ],
)
def test_a_bad_items_file_is_refused_with_the_place(tmp_path, mutate, message):
    document = yaml.safe_load(data.ITEMS_FILE.read_text(encoding="utf-8"))
    mutate(document)
    path = tmp_path / "items.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    with pytest.raises(data.DataFileError, match=message):
        data.load_items_file(path)


def test_a_bad_recommendations_file_is_refused(tmp_path):
    document = yaml.safe_load(data.RECOMMENDATIONS_FILE.read_text(encoding="utf-8"))
    document["points"][0]["section"] = "2.0"
    path = tmp_path / "recommendations.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    with pytest.raises(data.DataFileError, match="2.0 belongs to no theme"):
        data.load_recommendations_file(path)


def test_the_data_files_pass_the_system_check():
    from schakel.knowledge.checks import knowledge_data_files_are_valid

    assert knowledge_data_files_are_valid(None) == []


def test_load_command_prints_a_summary(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("load_knowledge", stdout=out)
    assert "61 created" in out.getvalue()
    out = StringIO()
    call_command("load_knowledge", "--reindex", stdout=out)
    assert "61 unchanged" in out.getvalue()
