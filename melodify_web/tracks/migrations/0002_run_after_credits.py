from django.db import migrations, models


def credits_from_soundfont(apps, schema_editor):
    """Tracks made before credits existed: the SoundFont's credit, from the registry's table."""
    from melodify.engines import get_spec

    Track = apps.get_model("tracks", "Track")
    for track in Track.objects.exclude(soundfont=""):
        track.credits = [get_spec("composer", "embedded").credit(track.soundfont).to_json()]
        track.save(update_fields=["credits"])


class Migration(migrations.Migration):

    dependencies = [("tracks", "0001_initial")]

    operations = [
        migrations.AddField("track", "run_after", models.DateTimeField(blank=True, null=True)),
        migrations.AddField("track", "credits", models.JSONField(blank=True, default=list)),
        migrations.RunPython(credits_from_soundfont, migrations.RunPython.noop),
        migrations.RemoveField("track", "soundfont"),
    ]
