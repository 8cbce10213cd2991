"""A logging filter that removes BSNs, e-mail addresses, names and dates of birth from records."""

import logging
import re

_PATTERNS = [
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), "[e-mail]"),
    (re.compile(r"(?<!\d)\d{9}(?!\d)"), "[bsn?]"),
    (re.compile(r"(?<!\d)\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)\d{2}(?!\d)"), "[datum]"),
    (re.compile(r"(?<!\d)(?:19|20)\d{2}-\d{2}-\d{2}(?!\d)"), "[datum]"),
    (
        re.compile(
            r"(?i)\b(given_names|surname|full_name|name|naam|voornamen|achternaam|username"
            r"|address|adres|phone|telefoon)(['\"]?\s*[=:]\s*)(['\"]?)[^,&;}\n]*"
        ),
        r"\1\2\3[verwijderd]",
    ),
]


def scrub(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class ScrubPersonalDataFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = str(record.msg)
        record.msg = scrub(message)
        record.args = ()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        return True
