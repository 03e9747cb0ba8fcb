from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0002_referral_unique_idempotency_key"),
    ]

    operations = [
        migrations.AlterField(
            model_name="connection",
            name="status",
            field=models.CharField(
                choices=[
                    ("proposed", "Proposed"),
                    ("sent", "Sent"),
                    ("accepted", "Accepted"),
                    ("declined", "Declined"),
                    ("waitlisted", "Waitlisted"),
                    ("attended_first", "Attended first"),
                    ("attending", "Attending"),
                    ("completed", "Completed"),
                    ("stopped", "Stopped"),
                    ("did_not_start", "Did not start"),
                    ("withdrawn", "Withdrawn"),
                ],
                db_index=True,
                default="proposed",
                max_length=16,
            ),
        ),
    ]
