from django.db import migrations, models


def create_triggers(apps, schema_editor):
    # The trigger SQL lives in outcomes.evaluation.cache (one place for both engines).
    from linkwork.outcomes.evaluation import cache

    vendor = schema_editor.connection.vendor
    schema_editor.execute(
        f"INSERT INTO {cache.version_table()} (writer, token) "
        f"VALUES (0, {cache.new_token_sql(vendor)})"
    )
    for statement in cache.create_triggers_sql(vendor):
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    from linkwork.outcomes.evaluation import cache

    for statement in cache.drop_triggers_sql(schema_editor.connection.vendor):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("outcomes", "0002_questionnaire_facts"),
        ("places", "0004_imd_release_length"),
        ("referrals", "0010_texts_feedback_and_session_reminders"),
    ]

    operations = [
        migrations.CreateModel(
            name="EvaluationDataVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("writer", models.BigIntegerField(unique=True)),
                ("token", models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
