"""The pivot and the SVG bar chart behind every monitor page."""

from django.utils import translation

from schakel.monitor import charts


def _rows(values):
    return [
        {"jaar": year, "vorm": "arbeidsuitbuiting", "geslacht": sex, "aantal": n}
        for (year, sex), n in values.items()
    ]


def test_sums_over_the_forms_are_rounded_once():
    raw = _rows({(2023, "man"): 4, (2024, "man"): 4}) + [
        {"jaar": 2024, "vorm": "onbekend", "geslacht": "man", "aantal": 4}
    ]
    pivot = charts.pivot_for("slachtoffers_per_geslacht", raw, raw, "round5")
    assert pivot.row("man") == [5, 10]  # 4 → 5 and 4 + 4 = 8 → 10, not 5 + 5
    with translation.override("nl"):
        assert pivot.change("man") == "+5 (+100,0%)"
    suppressed = charts.pivot_for("slachtoffers_per_geslacht", raw, raw, "suppress10_round5")
    assert suppressed.row("man") == ["<10", "<10"] and suppressed.change("man") == ""


def test_coordinates_use_a_dot_in_every_language():
    raw = _rows({(2024, "man"): 12345, (2024, "vrouw"): 3})
    pivot = charts.pivot_for("slachtoffers_per_geslacht", raw, raw, "none")
    with translation.override("nl"):
        chart = charts.bar_chart(pivot)
    bars = [bar for group in chart.groups for bar in group.bars]
    assert all("," not in bar.width + bar.x + bar.text_x for bar in bars)
    assert bars[0].text == "2024: 12.345" and bars[0].inside  # too long to fit after the bar
    assert bars[1].text == "2024: 3" and not bars[1].inside


def test_long_labels_wrap():
    assert charts.wrap("Grensoverschrijdende seksuele uitbuiting") == [
        "Grensoverschrijdende",
        "seksuele uitbuiting",
    ]
    assert charts.wrap("Kort") == ["Kort"]


def test_the_chart_shows_the_last_years_and_the_largest_groups():
    raw = [
        {"jaar": year, "nationaliteit": f"N{i:02d}", "aantal": i}
        for year in range(2015, 2025)
        for i in range(20)
    ]
    pivot = charts.pivot_for("slachtoffers_per_nationaliteit", raw, raw, "none")
    chart = charts.bar_chart(pivot)
    assert len(chart.groups) == charts.MAX_CHART_CATEGORIES
    assert len(chart.groups[0].bars) == charts.MAX_CHART_YEARS
    assert "laatste 6 jaar" in chart.note and "15 grootste groepen" in chart.note


def test_repeat_registration_is_drawn_per_cohort_and_term():
    published = [
        {"jaar": 2020, "termijn": 2, "eerste_registraties": 50, "opnieuw_geregistreerd": 5,
         "aandeel": "10.0"},
        {"jaar": 2020, "termijn": 5, "eerste_registraties": 50, "opnieuw_geregistreerd": None,
         "aandeel": ""},
        {"jaar": 2024, "termijn": 2, "eerste_registraties": 50, "opnieuw_geregistreerd": None,
         "aandeel": ""},
    ]  # fmt: skip
    pivot = charts.pivot_for("herhaalde_registratie", published, published, "none")
    assert pivot.categories == [(2020, "2020")]
    assert pivot.headers == ["binnen 2 jaar", "binnen 5 jaar", "binnen 7 jaar"]
    assert not pivot.shows_change
