"""The monitor through the API, the export command and the web pages."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from schakel.accounts.models import Role
from schakel.accounts.services import api_token_issue
from schakel.monitor import tables
from tests.accounts.factories import MembershipFactory
from tests.registry.factories import row, store

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"
TABLES = "/api/v1/monitor/tables/"


@pytest.fixture
def data(db):
    rows = [row(persoon_sleutel=f"persoon-{i:03d}", melddatum="2024-02-02") for i in range(12)]
    rows += [row(persoon_sleutel=f"persoon-{i:03d}", melddatum="2023-02-02") for i in range(3)]
    return store(*rows)


@pytest.fixture
def api(client):
    def make(role=Role.ANALYST):
        _token, plaintext = api_token_issue(membership=MembershipFactory(role=role))
        return client, {"Authorization": f"Bearer {plaintext}"}

    return make


def test_the_table_ids(api):
    client, headers = api()
    response = client.get(TABLES, headers=headers)
    assert response.status_code == 200
    assert [t["id"] for t in response.json()] == list(tables.TABLES)
    first = response.json()[0]
    assert first["columns"] == ["jaar", "reeks", "aantal"]
    assert first["url"].endswith("/api/v1/monitor/tables/slachtoffers_per_jaar/")


def test_a_table_as_json_with_disclosure(api, data):
    client, headers = api()
    url = f"{TABLES}slachtoffers_per_jaar/?from=2023&to=2024"
    exact = client.get(url + "&disclosure=none", headers=headers).json()
    assert exact["rows"] == [
        {"jaar": 2023, "reeks": "exclusief_kmar_seksueel", "aantal": 3},
        {"jaar": 2023, "reeks": "inclusief_kmar_seksueel", "aantal": 3},
        {"jaar": 2024, "reeks": "exclusief_kmar_seksueel", "aantal": 12},
        {"jaar": 2024, "reeks": "inclusief_kmar_seksueel", "aantal": 12},
    ]
    assert (exact["year_from"], exact["year_to"], exact["disclosure"]) == (2023, 2024, "none")
    safe = client.get(url, headers=headers).json()  # the default is suppress10_round5
    assert [r["aantal"] for r in safe["rows"]] == ["<10", "<10", 10, 10]
    rounded = client.get(url + "&disclosure=round5", headers=headers).json()
    assert [r["aantal"] for r in rounded["rows"]] == [5, 5, 10, 10]


def test_a_table_as_csv(api, data):
    client, headers = api(Role.REGISTRAR)
    response = client.get(
        f"{TABLES}gemiddelde_leeftijd/?from=2024&to=2024&format=csv&disclosure=none",
        headers=headers,
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["jaar", "vorm", "gemiddelde"]
    assert ["2024", "arbeidsuitbuiting", "31.0"] in rows
    assert ["2024", "onbekend", ""] in rows


@pytest.mark.parametrize(
    ("path", "names"),
    [
        ("nope/?from=2020&to=2021", {"table"}),
        ("slachtoffers_per_jaar/?from=2024&to=2020", {"to"}),
        ("slachtoffers_per_jaar/?from=abc&to=2020", {"from"}),
        ("slachtoffers_per_jaar/?from=2020&to=2021&disclosure=geheim", {"disclosure"}),
        ("nope/?from=2020&to=2021&format=csv", {"table"}),
    ],
)
def test_bad_parameters_answer_400_problem_json(api, path, names):
    client, headers = api()
    response = client.get(TABLES + path, headers=headers)
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert {p["name"] for p in response.json()["invalid_params"]} == names


@pytest.mark.parametrize("role", [Role.PROFESSIONAL, Role.CARE_COORDINATOR, Role.ORG_ADMIN])
def test_other_roles_get_404(api, role):
    client, headers = api(role)
    assert client.get(TABLES, headers=headers).status_code == 404
    assert client.get(f"{TABLES}slachtoffers_per_jaar/", headers=headers).status_code == 404


def test_default_period_is_the_last_years_with_data(api, data):
    client, headers = api()
    body = client.get(f"{TABLES}slachtoffers_per_vorm/", headers=headers).json()
    assert (body["year_from"], body["year_to"]) == (2023, 2024)


# -- command ------------------------------------------------------------------------------------


def test_export_command_writes_csv_to_standard_output(data, capsys):
    call_command(
        "monitor_export", "--table", "slachtoffers_per_vorm", "--from", "2024", "--to", "2024",
        "--disclosure", "none",
    )  # fmt: skip
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "jaar,uitbuitingsvorm,aantal"
    assert "2024,arbeidsuitbuiting,12" in lines and len(lines) == 7


def test_export_command_writes_xlsx(data, tmp_path):
    path = tmp_path / "t.xlsx"
    call_command(
        "monitor_export", "--table", "meldingen_per_melder", "--from", "2023", "--to", "2024",
        "--format", "xlsx", "--output", str(path), "--disclosure", "round5",
    )  # fmt: skip
    book = load_workbook(path, read_only=True)
    sheet = book["meldingen_per_melder"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("jaar", "melder", "vorm", "aantal")
    assert (2024, "politie", "arbeidsuitbuiting", 10) in rows
    assert len(rows) == 1 + 2 * 6 * 6
    about = dict(book["toelichting"].iter_rows(values_only=True))
    assert about["jaren"] == "2023-2024" and about["onthullingsbeheersing"].startswith("round5")


@pytest.mark.parametrize(
    "arguments",
    [
        ["--table", "nope", "--from", "2020", "--to", "2021"],
        ["--table", "slachtoffers_per_jaar", "--from", "2021", "--to", "2020"],
        ["--table", "slachtoffers_per_jaar", "--from", "x", "--to", "2020"],
        ["--table", "slachtoffers_per_jaar", "--from", "2020", "--to", "2021", "--disclosure",
         "geen"],
        ["--table", "slachtoffers_per_jaar", "--from", "2020", "--to", "2021", "--format", "pdf"],
    ],
)  # fmt: skip
def test_export_command_exits_2_on_bad_input(arguments):
    with pytest.raises(CommandError) as raised:
        call_command("monitor_export", *arguments)
    assert raised.value.returncode == 2


# -- pages --------------------------------------------------------------------------------------


def test_monitor_pages_for_an_analyst(actor_client, data):
    client, _ = actor_client(role=Role.ANALYST)
    response = client.get("/monitor/?van=2023&tot=2024&beheersing=none")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and 'role="img"' in html and "<caption" in html
    assert (
        'Verschil<span class="visually-hidden"> van 2024 met het jaar ervoor' in html
        and "+9 (+300,0%)" in html
    )
    assert 'href="/monitor/slachtoffers_per_lvb/' not in html
    assert "/monitor/slachtoffers_lvb/?van=2023&amp;tot=2024&amp;beheersing=none" in html
    for table_id in tables.TABLES:
        page = client.get(f"/monitor/{table_id}/?van=2023&tot=2024&beheersing=suppress10_round5")
        assert page.status_code == 200, table_id
        assert "persoon-0" not in page.content.decode()


def test_monitor_downloads(actor_client, data):
    client, _ = actor_client(role=Role.ANALYST)
    query = "?van=2024&tot=2024&beheersing=none"
    response = client.get(f"/monitor/slachtoffers_per_geslacht/download.csv{query}")
    assert response["Content-Type"].startswith("text/csv")
    assert "2024,arbeidsuitbuiting,man,12" in response.content.decode()
    assert (
        'filename="slachtoffers_per_geslacht_2024-2024_none.csv"' in response["Content-Disposition"]
    )
    xlsx = client.get(f"/monitor/slachtoffers_per_geslacht/download.xlsx{query}")
    assert xlsx.content[:2] == b"PK"
    assert client.get(f"/monitor/nope/download.csv{query}").status_code == 404
    assert client.get(f"/monitor/slachtoffers_lvb/download.pdf{query}").status_code == 404


def test_a_bad_period_is_explained(actor_client):
    client, _ = actor_client(role=Role.ANALYST)
    response = client.get("/monitor/?van=2024&tot=2020")
    assert response.status_code == 400
    assert 'class="error-summary"' in response.content.decode()
    assert client.get("/monitor/bestaat-niet/").status_code == 404


def test_monitor_pages_are_not_there_for_professionals(actor_client):
    client, _ = actor_client(role=Role.PROFESSIONAL)
    assert client.get("/monitor/").status_code == 404
    assert client.get("/monitor/slachtoffers_per_jaar/").status_code == 404


def test_navigation_shows_the_links_by_role(actor_client):
    client, _ = actor_client(role=Role.REGISTRAR)
    html = client.get("/monitor/").content.decode()
    assert 'href="/registratie/"' in html and 'href="/monitor/"' in html
