import pytest

pytestmark = pytest.mark.django_db


def test_dutch_is_the_default(client):
    html = client.get("/").content.decode()
    assert '<html lang="nl">' in html and "Naar de inhoud" in html


def test_switch_to_english_and_back(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/privacy/"})
    assert response.status_code == 302 and response["Location"] == "/privacy/"
    html = client.get("/privacy/").content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html and "Privacy statement" in html
    assert "Recording and viewing a data subject" in html  # the register's English texts
    client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    assert "Naar de inhoud" in client.get("/").content.decode()


def test_every_english_message_is_translated():
    from pathlib import Path

    po = (Path(__file__).resolve().parents[2] / "locale/en/LC_MESSAGES/django.po").read_text()
    blocks = po.split("\n\n")[1:]
    untranslated = [
        b
        for b in blocks
        if 'msgstr ""' in b and b.rstrip().endswith('msgstr ""') or "#, fuzzy" in b
    ]
    assert not untranslated, f"{len(untranslated)} untranslated, first: {untranslated[0][:200]}"
