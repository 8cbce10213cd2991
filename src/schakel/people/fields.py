"""A model field that stores text encrypted with AES-GCM (see crypto.py)."""

from django.db import models

from . import crypto


class EncryptedTextField(models.TextField):
    """Encrypted at rest; cannot be filtered or ordered on in the database."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return crypto.encrypt(str(value))


class EncryptedDateField(models.TextField):
    """A date, stored as encrypted ISO text."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return None
        return self.to_python(crypto.decrypt(value))

    def to_python(self, value):
        import datetime

        if value is None or value == "" or isinstance(value, datetime.date):
            return value or None
        return datetime.date.fromisoformat(str(value))

    def get_prep_value(self, value):
        value = self.to_python(value)
        if value is None:
            return None
        return crypto.encrypt(value.isoformat())

    def formfield(self, **kwargs):
        from django import forms

        return forms.DateField(**{"required": not self.blank, **kwargs})
