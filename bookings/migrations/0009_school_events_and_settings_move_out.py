"""SchoolEvent and EventParticipation move to schools, SchoolYearSettings to municipalities
(issue 18). Here bookings only forgets them; their new apps take over the tables
(schools 0006, municipalities 0002), so no row is lost."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("bookings", "0008_submit_keys_events_occasions")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="EventParticipation"),
                migrations.DeleteModel(name="SchoolEvent"),
                migrations.DeleteModel(name="SchoolYearSettings"),
            ],
            database_operations=[],
        ),
    ]
