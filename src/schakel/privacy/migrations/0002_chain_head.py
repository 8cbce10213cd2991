from django.db import migrations


def create_head(apps, schema_editor):
    LogChainHead = apps.get_model("privacy", "LogChainHead")
    LogChainHead.objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("privacy", "0001_initial")]
    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
