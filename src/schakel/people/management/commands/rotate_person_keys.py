from django.core.management.base import BaseCommand, CommandError

from schakel.people.crypto import DecryptionError
from schakel.people.services import person_keys_rotate


class Command(BaseCommand):
    help = (
        "Re-encrypt the identifying data of every person, and what consents hold encrypted (the "
        "representative's name, evidence files), with the current key. "
        "To rotate: put the new key FIRST in SCHAKEL_PERSON_KEYS and keep the old key after it "
        "('new:…,old:…'), restart the application, then run this command. Only remove the old "
        "key from SCHAKEL_PERSON_KEYS after this command has finished without errors. "
        "The command can safely be run again: values already on the current key are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Persons per transaction (default 500)."
        )

    def handle(self, *args, batch_size: int, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        try:
            count = person_keys_rotate(batch_size=batch_size)
        except DecryptionError as error:
            raise CommandError(
                f"{error}. Is every old key still in SCHAKEL_PERSON_KEYS? "
                "Persons handled before this error keep their new encryption; run again."
            ) from error
        self.stdout.write(f"{count} person(s) re-encrypted with the current key.")
        from schakel.privacy.services import consent_keys_rotate

        try:
            files = consent_keys_rotate(batch_size=max(1, batch_size // 5))
        except DecryptionError as error:
            raise CommandError(
                f"{error}. Is every old key still in SCHAKEL_PERSON_KEYS? Run again after fixing."
            ) from error
        self.stdout.write(f"{files} consent name(s) and file(s) re-encrypted with the current key.")
