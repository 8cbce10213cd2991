"""The search parameters of the wegwijzer, shared by the web form and the API.

Names as in the URL: ?gemeente=GM0363&age=16&gender=vrouw&forms=criminele_uitbuiting&lvb=true
&need=treatment. Bad values raise a ValidationError that names the parameter.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .matching import Criteria
from .models import Form, Gender, Municipality, Need

TRUE = {"true", "ja", "1", "yes", "on"}
FALSE = {"false", "nee", "0", "no", "off"}
NAMES = (
    "gemeente",
    "landelijk",
    "age",
    "gender",
    "forms",
    "lvb",
    "iq",
    "ggz",
    "addiction",
    "children",
    "need",
    "q",
)


def _get(query, name: str) -> str:
    return (query.get(name) or "").strip()


def _bool(query, name: str, errors: dict) -> bool | None:
    value = _get(query, name).lower()
    if not value:
        return None
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    errors[name] = _("Kies true of false.")
    return None


def _int(query, name: str, low: int, high: int, errors: dict) -> int | None:
    value = _get(query, name)
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        errors[name] = _("Vul een heel getal in.")
        return None
    if not low <= number <= high:
        errors[name] = _("Vul een getal van %(low)s tot en met %(high)s in.") % {
            "low": low,
            "high": high,
        }
        return None
    return number


def _forms(query, errors: dict) -> tuple[str, ...]:
    values = query.getlist("forms") if hasattr(query, "getlist") else [query.get("forms") or ""]
    forms = [f.strip() for value in values for f in (value or "").split(",") if f.strip()]
    unknown = [f for f in forms if f not in Form.values]
    if unknown:
        errors["forms"] = _("Onbekende vorm(en): %(forms)s. Kies uit: %(choices)s.") % {
            "forms": ", ".join(unknown),
            "choices": ", ".join(Form.values),
        }
    return tuple(dict.fromkeys(f for f in forms if f in Form.values))


def parse_criteria(query) -> Criteria:
    """A Criteria from a QueryDict (or any mapping); ValidationError names each bad parameter."""
    errors: dict[str, str] = {}
    municipality = _get(query, "gemeente")
    national = _bool(query, "landelijk", errors) or False
    if municipality.lower() == "landelijk":
        municipality, national = "", True
    if municipality and not Municipality.objects.filter(code=municipality, is_active=True).exists():
        errors["gemeente"] = _("Onbekende gemeentecode: %(code)s.") % {"code": municipality}
    gender = _get(query, "gender")
    if gender and gender not in Gender.values:
        errors["gender"] = _("Kies uit: %(choices)s.") % {"choices": ", ".join(Gender.values)}
    need = _get(query, "need")
    if need and need not in Need.values:
        errors["need"] = _("Kies uit: %(choices)s.") % {"choices": ", ".join(Need.values)}
    q = _get(query, "q")
    if len(q) > 200:
        errors["q"] = _("Gebruik ten hoogste 200 tekens.")
    criteria = Criteria(
        municipality=municipality or None,
        national=national,
        age=_int(query, "age", 0, 120, errors),
        gender=gender or None,
        forms=_forms(query, errors),
        lvb=_bool(query, "lvb", errors),
        iq=_int(query, "iq", 30, 160, errors),
        ggz=_bool(query, "ggz", errors),
        addiction=_bool(query, "addiction", errors),
        with_children=_bool(query, "children", errors),
        need=need or None,
        q=q,
    )
    if errors:
        raise ValidationError({name: [message] for name, message in errors.items()})
    return criteria


def is_empty(query) -> bool:
    return not any(_get(query, name) for name in NAMES if name != "forms") and not _forms(query, {})
