from django.core.management.base import BaseCommand

from schakel.privacy.demo import seed_privacy_demo


class Command(BaseCommand):
    help = (
        "Demo data for lawful sharing (after seed_demo): a demo Veilig Thuis, a privacy officer, "
        "an agreement and a consent. Idempotent; refused under production settings."
    )

    def handle(self, *args, **options):
        result = seed_privacy_demo()
        self.stdout.write(result)
