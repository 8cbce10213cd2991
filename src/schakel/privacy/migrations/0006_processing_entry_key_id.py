from django.db import migrations, models


class Migration(migrations.Migration):
    """Entries name the log key that signed them. Existing entries get "": they were written with
    the old plain SHA-256 and stay verifiable up to the first checkpoint (docs/operations.md)."""

    dependencies = [("privacy", "0005_subject_index")]

    operations = [
        migrations.AddField(
            model_name="processingentry",
            name="key_id",
            field=models.CharField(blank=True, default="", max_length=32),
        ),
    ]
