import uuid

from django.db import migrations, models


def fill(apps, schema_editor):
    OPD = apps.get_model("opd", "OPD")
    for opd in OPD.objects.filter(uuid__isnull=True):
        opd.uuid = uuid.uuid4()
        opd.save(update_fields=["uuid"])


class Migration(migrations.Migration):
    dependencies = [("opd", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="opd", name="uuid", field=models.UUIDField(editable=False, null=True)
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="opd",
            name="uuid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
