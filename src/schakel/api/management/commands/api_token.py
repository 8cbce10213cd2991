from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from schakel.accounts.models import ApiToken, Membership, User
from schakel.accounts.services import api_token_issue, api_token_revoke


class Command(BaseCommand):
    help = (
        "Print a new API token for EMAIL (acting for --organisation ID when the user belongs "
        "to several), or revoke one with --revoke PREFIX."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", nargs="?")
        parser.add_argument("--organisation", type=int, help="organisation id")
        parser.add_argument("--role", help="role, when the user has several in the organisation")
        parser.add_argument("--days", type=int, default=None, help="validity in days (1-366)")
        parser.add_argument("--label", default="", help="what the token is for")
        parser.add_argument("--revoke", metavar="PREFIX", help="revoke the token with PREFIX")

    def handle(
        self,
        *args,
        email=None,
        organisation=None,
        role=None,
        days=None,
        label="",
        revoke=None,
        **options,
    ):
        if revoke:
            token = ApiToken.objects.filter(prefix=revoke).first()
            if token is None:
                raise CommandError(f"no token with prefix '{revoke}'")
            api_token_revoke(token=token)
            self.stdout.write(f"Token {revoke} revoked.")
            return
        if not email:
            raise CommandError("give EMAIL, or --revoke PREFIX")
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"no active user with e-mail '{email}'")
        memberships = Membership.objects.filter(user=user, is_active=True)
        if organisation is not None:
            memberships = memberships.filter(organisation_id=organisation)
        if role:
            memberships = memberships.filter(role=role)
        found = list(memberships.select_related("organisation")[:10])
        if not found:
            raise CommandError("the user has no active membership that matches")
        if len(found) > 1:
            options_text = "; ".join(
                f"--organisation {m.organisation_id} --role {m.role} ({m.organisation.name})"
                for m in found
            )
            raise CommandError(f"the user has several memberships, choose one: {options_text}")
        try:
            token, plaintext = api_token_issue(membership=found[0], days=days, label=label)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stderr.write(
            f"Token {token.prefix} for {found[0]} valid until {token.expires_at:%Y-%m-%d}. "
            "It is shown only once:"
        )
        self.stdout.write(plaintext)
