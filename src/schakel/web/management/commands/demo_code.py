from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp

from schakel.web.demo import USERS, demo_totp_key


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo account (demo only)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="a demo account, e.g. professional@zorg.demo")

    def handle(self, *args, email, **options):
        if not getattr(settings, "SCHAKEL_DEMO_ALLOWED", False):
            raise CommandError("demo_code is refused under production settings")
        if email not in {row[0] for row in USERS}:
            raise CommandError(f"'{email}' is not a demo account")
        self.stdout.write(f"{totp(demo_totp_key(email)):06d}")
