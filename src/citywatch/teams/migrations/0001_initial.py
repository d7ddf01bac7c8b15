# Team and Membership move from commons to teams: the tables stay where they are
# (commons_team, commons_membership); only Django's idea of which app owns them changes.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("actors", "0001_initial"),
        ("commons", "0002_web_address_fields"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Team",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=200, unique=True, verbose_name="name")),
                        ("slug", models.SlugField(max_length=100, unique=True, verbose_name="slug")),
                        ("description", models.TextField(blank=True, verbose_name="description")),
                        ("organisation", models.ForeignKey(blank=True, help_text="The organisation in the atlas this team is, e.g. for FOI requests.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="teams", to="actors.organisation", verbose_name="organisation")),
                    ],
                    options={
                        "verbose_name": "team",
                        "verbose_name_plural": "teams",
                        "ordering": ["name"],
                        "db_table": "commons_team",
                    },
                ),
                migrations.CreateModel(
                    name="Membership",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("role", models.CharField(choices=[("viewer", "Viewer"), ("contributor", "Contributor"), ("reviewer", "Reviewer"), ("admin", "Team admin")], default="viewer", max_length=20, verbose_name="role")),
                        ("team", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="memberships", to="teams.team", verbose_name="team")),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="memberships", to=settings.AUTH_USER_MODEL, verbose_name="user")),
                    ],
                    options={
                        "verbose_name": "membership",
                        "verbose_name_plural": "memberships",
                        "db_table": "commons_membership",
                    },
                ),
                migrations.AddConstraint(
                    model_name="membership",
                    constraint=models.UniqueConstraint(fields=("team", "user"), name="membership_unique_user"),
                ),
                migrations.AddField(
                    model_name="team",
                    name="members",
                    field=models.ManyToManyField(related_name="teams", through="teams.Membership", to=settings.AUTH_USER_MODEL),
                ),
            ],
            database_operations=[],
        ),
    ]
