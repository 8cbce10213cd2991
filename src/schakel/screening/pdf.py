"""The advice as a PDF (fpdf2, pure Python). Same content and order as the web page."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

_REPLACE = {
    "\u2013": "-",
    "\u2014": "-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2026": "...",
    "\u20ac": "EUR ",
    "\u00a0": " ",
}


def _latin(text) -> str:
    """The built-in PDF fonts know Latin-1 only; Dutch fits, a few punctuation marks do not."""
    text = str(text or "")
    for old, new in _REPLACE.items():
        text = text.replace(old, new)
    return text.encode("latin-1", "replace").decode("latin-1")


class _Doc:
    def __init__(self, title: str):
        from fpdf import FPDF

        self.pdf = FPDF(format="A4")
        self.pdf.set_title(_latin(title))
        self.pdf.set_creator("Schakel")
        self.pdf.set_lang("nl")
        self.pdf.set_auto_page_break(auto=True, margin=15)
        self.pdf.set_margins(18, 16, 18)
        self.pdf.add_page()

    def text(self, text, *, size=10.5, style="", gap=1.5):
        self.pdf.set_font("helvetica", style=style, size=size)
        self.pdf.multi_cell(0, size * 0.5, _latin(text), new_x="LMARGIN", new_y="NEXT")
        self.pdf.ln(gap)

    def h1(self, text):
        self.text(text, size=17, style="B", gap=2)

    def h2(self, text):
        self.pdf.ln(2)
        self.text(text, size=13.5, style="B", gap=1)

    def h3(self, text):
        self.text(text, size=11.5, style="B", gap=0.5)

    def bullet(self, text):
        self.pdf.set_font("helvetica", size=10.5)
        self.pdf.set_x(self.pdf.l_margin + 4)
        self.pdf.multi_cell(0, 5.25, _latin("- " + str(text)), new_x="LMARGIN", new_y="NEXT")

    def contact(self, c):
        self.h3(c["name"])
        for label, key in (
            (_("Telefoon"), "phone"),
            (_("E-mail"), "email"),
            (_("Website"), "url"),
            (_("Bereikbaar"), "hours"),
        ):
            if c.get(key):
                self.bullet(f"{label}: {c[key]}")
        if c.get("available_24_7"):
            self.bullet(_("24 uur per dag, 7 dagen per week bereikbaar"))
        if c.get("note"):
            self.bullet(c["note"])
        if c.get("reasons"):
            self.bullet(_("Genoemd bij: %(reasons)s") % {"reasons": "; ".join(c["reasons"])})
        self.pdf.ln(1.5)

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def advice_pdf(advice: dict, *, answers: list[dict], meta: list[tuple[str, str]]) -> bytes:  # noqa: C901 - to be split
    """A PDF of `advice` (see advice.build). `answers`: [{area, question, answer_label}]."""
    instrument = advice["instrument"]
    doc = _Doc(_("Advies: %(title)s") % {"title": instrument["title"]})
    doc.h1(_("Advies: %(title)s") % {"title": instrument["title"]})
    for label, value in meta:
        doc.text(f"{label}: {value}", gap=0.3)
    doc.text(
        _("Gemaakt op %(when)s met versie %(version)s van het instrument.")
        % {
            "when": timezone.localtime().strftime("%d-%m-%Y %H:%M"),
            "version": instrument["version"],
        },
        gap=1,
    )
    if instrument["status"] == "indicative":
        doc.text(_("Hulpmiddel, geen gevalideerde test."), style="B", gap=0.5)
    doc.text(instrument["disclaimer"])

    if advice["emergency"]:
        doc.h2(advice["emergency"]["title"])
        doc.text(advice["emergency"]["text"])

    if advice["red_flags"]:
        doc.h2(_("Rode vlaggen: dit moet eerst"))
        for flag in advice["red_flags"]:
            doc.h3(flag["title"])
            doc.text(flag["text"], gap=0.5)
            for answer in flag["answers"]:
                doc.bullet(f"{answer['question']} {answer['answer_label']}")
            doc.pdf.ln(1)

    doc.h2(_("Uitkomst: %(label)s") % {"label": advice["outcome_label"]})
    doc.text(advice["summary"])
    for scale in advice["levels"]:
        doc.h3(f"{scale['label']}: {scale['level_label']}")
        if scale["raised_by"]:
            doc.text(_("Verhoogd door een rode vlag."), gap=0.5)
        if not scale["areas"]:
            doc.text(_("Geen antwoorden die hierop wijzen."), gap=1)
        for area in scale["areas"]:
            doc.text(f"{area['title']} ({area['score']})", style="B", gap=0.2)
            for answer in area["answers"]:
                doc.bullet(f"{answer['question']} {answer['answer_label']}")
        doc.pdf.ln(1)

    if advice["unknowns"]:
        doc.h2(_("Nog uitzoeken"))
        doc.text(_("Bij deze vragen koos u 'weet ik niet'. Probeer dat uit te zoeken."), gap=0.5)
        for entry in advice["unknowns"]:
            doc.bullet(entry["question"])
    if advice["protective"]:
        doc.h2(_("Wat helpt"))
        for entry in advice["protective"]:
            doc.bullet(entry["question"])

    if advice["advice"]:
        doc.h2(_("Advies"))
        for block in advice["advice"]:
            doc.h3(f"{block['title']} ({block['section_label']})")
            doc.text(block["text"])
    if advice["steps"]:
        steps = advice["steps"]
        doc.h2(steps["title"])
        if steps["intro"]:
            doc.text(steps["intro"])
        for step in steps["steps"]:
            doc.h3(f"{step['number']}. {step['title']}")
            doc.text(step["text"], gap=0.5)
            for question in step.get("questions", []):
                doc.bullet(question)
            doc.pdf.ln(1)
        if steps.get("source"):
            doc.text(steps["source"], size=9)
    if advice["reporting"]:
        doc.h2(advice["reporting"]["title"])
        doc.text(advice["reporting"]["intro"])
        for route in advice["reporting"]["routes"]:
            doc.h3(route["title"])
            doc.text(route["text"])
    if advice["lvb_guidance"]:
        guide = advice["lvb_guidance"]
        doc.h2(guide["title"])
        doc.text(guide["intro"], gap=0.5)
        for tip in guide["tips"]:
            doc.bullet(tip)

    doc.h2(_("Contact"))
    if advice["emergency"]:
        doc.h3(_("Alarmnummer 112"))
        doc.bullet(_("Bij direct gevaar"))
        doc.pdf.ln(1.5)
    for contact in advice["contacts"]:
        doc.contact(contact)

    if advice["notes"]:
        doc.h2(_("Aantekeningen"))
        for note in advice["notes"]:
            doc.text(note["question"], style="B", gap=0.2)
            doc.text(note["text"])
    if answers:
        doc.h2(_("Alle antwoorden"))
        for answer in answers:
            doc.bullet(f"{answer['area']}: {answer['question']} {answer['answer_label']}")
    return doc.output()
