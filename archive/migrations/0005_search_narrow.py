from django.db import migrations, models


def narrow(apps, schema_editor):
    """On PostgreSQL an index row keeps its two tsvectors alone (archive.search.tokens_of): the tokens' text,
    read only on SQLite, is emptied and the characters' vector loses the positions nothing ranks."""
    if schema_editor.connection.vendor != "postgresql":
        return
    table = apps.get_model("archive", "SearchEntry")._meta.db_table
    schema_editor.execute(
        f'UPDATE "{table}" SET chars_vector = strip(chars_vector), words = \'\', chars = \'\''  # noqa: S608
        " WHERE words <> '' OR chars <> ''"
    )


class Migration(migrations.Migration):
    # Search at a province's scale (issue 15): the most recent hits of a very common term come off an index,
    # and the index rows are narrow enough for the database's memory.
    dependencies = [("archive", "0004_reading_room")]

    operations = [
        migrations.AddIndex(
            model_name="searchentry",
            index=models.Index(fields=["year", "project", "id"], name="search_entry_recent_idx"),
        ),
        migrations.RunPython(narrow, migrations.RunPython.noop),
    ]
