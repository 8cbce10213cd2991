"""Test data for screening: answer sets built from an instrument, and wegwijzer contacts."""

from dataclasses import dataclass

from schakel.screening.instruments import Instrument


@dataclass(frozen=True)
class FakeContact:
    key: str
    name: str
    phone: str
    email: str
    url: str
    hours: str
    available_24_7: bool
    note: str


FAKE_CONTACTS = {
    "csg_0800": FakeContact(
        "csg_0800", "Centrum Seksueel Geweld", "0800-0188", "", "", "", True, ""
    ),
    "koraal_consultatie": FakeContact(
        "koraal_consultatie",
        "Consultatie Koraal",
        "088 – 50 57 410",
        "vragenoveruitbuiting@koraal.nl",
        "",
        "telefoon dinsdag en donderdag 9-12 uur",
        False,
        "e-mail 24/7",
    ),
    "veilig_thuis": FakeContact("veilig_thuis", "Veilig Thuis", "", "", "", "", False, ""),
    "politie_0900": FakeContact(
        "politie_0900", "Politie", "0900-8844", "", "", "", False, "Vraag naar de AVIM."
    ),
    "comensha_meldpunt": FakeContact(
        "comensha_meldpunt", "CoMensha", "033-4481186", "", "", "", False, ""
    ),
}


def answers_all(instrument: Instrument, value: str = "no") -> dict:
    """Every question answered: yes/no/unknown with `value`, the lowest scale point, the first
    option, no free text."""
    answers = {}
    for item in instrument.items.values():
        if item.type == "yes_no_unknown":
            answers[item.id] = value
        elif item.type == "scale":
            answers[item.id] = item.scale_min
        elif item.type == "single":
            answers[item.id] = item.options[0].value
        elif item.type == "multiple":
            answers[item.id] = [item.options[0].value]
    return answers
