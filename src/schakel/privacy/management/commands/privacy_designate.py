from django.core.management.base import BaseCommand, CommandError

from schakel.accounts.models import Organisation
from schakel.privacy.models import PrivacyProfile
from schakel.privacy.services import privacy_designations_set_by_operator
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
        if add or remove:
            before = list(getattr(PrivacyProfile.objects.filter(organisation=org).first(),
                                  "designations", []))  # fmt: skip
            profile = privacy_designations_set_by_operator(organisation=org, add=add, remove=remove)
            if profile.designations != before:
                self.stderr.write(f"designations of organisation {org.pk} changed by command")
        else:
            profile = PrivacyProfile.objects.filter(organisation=org).first() or PrivacyProfile(
                organisation=org
            )
        implied = sorted(config.designations_implied_by(org.domain))
        self.stdout.write(
            f"{org.name}: {', '.join(profile.designations) or '(none set)'}"
            + (f"; implied by domain {org.domain}: {', '.join(implied)}" if implied else "")
        )
