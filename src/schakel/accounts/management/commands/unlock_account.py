from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from schakel.accounts.models import User
from schakel.accounts.services import account_unlock_by_operator


class Command(BaseCommand):
    help = (
        "Unlock an account that was locked after too many failed logins across addresses "
        "(also clears django-axes' per-address lockouts for it). With --list, show locked accounts."
    )

    def add_arguments(self, parser):
        parser.add_argument("email", nargs="?")
        parser.add_argument(
            "--list", dest="show_list", action="store_true", help="list the locked accounts"
        )

    def handle(self, *args, email=None, show_list=False, **options):
        if show_list:
            for user in User.objects.filter(locked_at__isnull=False).order_by("locked_at"):
                self.stdout.write(
                    f"{user.email}\tlocked at {user.locked_at:%Y-%m-%d %H:%M}\t"
                    f"{user.login_failures} failures"
                )
            return
        if not email:
            raise CommandError("give the e-mail address of the account, or --list")
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"no account with e-mail address '{email}'")
        try:
            account_unlock_by_operator(user=user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"{user.email} unlocked.")
