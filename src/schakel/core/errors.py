"""Refusals that services raise and that every entry point answers the same way."""

from django.core.exceptions import PermissionDenied


class Refused(PermissionDenied):
    """A refusal with reasons in plain words and, where there is one, the lawful way on.

    The API answers it with 403 problem+json of type `problem_type` carrying `reasons` and
    `hints` (`schakel.api.problems`); pages show the reasons and the hints as links.
    """

    problem_type = "refused"

    def __init__(
        self, reasons: list[str], *, hints: list[str] | None = None, codes: tuple | list = ()
    ) -> None:
        self.reasons = list(reasons)
        self.hints = list(hints or [])
        self.codes = list(codes)
        super().__init__(" ".join(self.reasons))
