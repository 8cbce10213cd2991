from django.core.management.base import BaseCommand, CommandError

from schakel.accounts.models import Organisation
from schakel.privacy.models import PrivacyProfile
from schakel.privacy.sharing_config import sharing_config


class Command(BaseCommand):
    help = (
        "Show or set the legal designations of an organisation (veilig_thuis, "
        "opsporingsinstantie, registratiebalie, zorgcoordinatie). They change what the sharing "
        "gate allows, so only platform operators run this; it is logged."
    )

    def add_arguments(self, parser):
        parser.add_argument("organisation", nargs="?", help="organisation id or exact name")
        parser.add_argument("--add", action="append", default=[], metavar="DESIGNATION")
        parser.add_argument("--remove", action="append", default=[], metavar="DESIGNATION")

    def handle(self, *args, organisation=None, add=(), remove=(), **options):
        config = sharing_config()
        if organisation is None:
            for profile in PrivacyProfile.objects.exclude(designations=[]).select_related(
                "organisation"
            ):
                self.stdout.write(
                    f"{profile.organisation.pk}\t{profile.organisation.name}\t"
                    f"{', '.join(profile.designations)}"
                )
            self.stdout.write("Known designations: " + ", ".join(config.designations))
            return
        org = (
            Organisation.objects.filter(pk=int(organisation)).first()
            if organisation.isdigit()
            else Organisation.objects.filter(name=organisation).first()
        )
        if org is None:
            raise CommandError(f"no organisation '{organisation}'")
        unknown = [d for d in [*add, *remove] if d not in config.designations]
        if unknown:
            known = ", ".join(config.designations)
            raise CommandError(f"unknown designation(s): {', '.join(unknown)}; known: {known}")
        profile, _created = PrivacyProfile.objects.get_or_create(organisation=org)
        if add or remove:
            current = [d for d in profile.designations if d not in remove]
            current += [d for d in add if d not in current]
            profile.designations = current
            profile.save(update_fields=["designations", "updated_at"])
            self.stderr.write(f"designations of organisation {org.pk} changed by command")
        implied = sorted(config.designations_implied_by(org.domain))
        self.stdout.write(
            f"{org.name}: {', '.join(profile.designations) or '(none set)'}"
            + (f"; implied by domain {org.domain}: {', '.join(implied)}" if implied else "")
        )
