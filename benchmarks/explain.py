"""The query plans of the reads behind the list, its facets, the map and a record page.

    CITYWATCH_DATA_DIR=/tmp/cw-bench [DATABASE_URL=postgres://...] python benchmarks/explain.py

Prints each query and its plan (PostgreSQL: ``EXPLAIN (ANALYZE, BUFFERS)``, with the time of
each step; SQLite: ``EXPLAIN QUERY PLAN``), so a change that loses an index shows."""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "citywatch.settings")

import django

django.setup()

from django.db import connection
from django.db.models import Count

from citywatch.atlas.filters import DeploymentFilters, apply_filters, sorted_deployments
from citywatch.atlas.map_data import map_rows_query
from citywatch.atlas.models import Component, Party
from citywatch.atlas.queries import deployment_cards, visible_deployments
from citywatch.core.choices import Visibility


def queries() -> dict[str, object]:
    public = visible_deployments(None)
    france = apply_filters(public, DeploymentFilters(country=("FR",)))
    return {
        "facets: country, status, certainty (all public)": public.order_by()
        .values_list("country_id", "status", "certainty")
        .annotate(n=Count("pk")),
        "facets: vendors in France": Party.objects.filter(deployment__in=france.values("pk"))
        .order_by()
        .values_list("organisation_id")
        .annotate(n=Count("deployment_id", distinct=True)),
        "facets: technologies (all public)": Component.objects.filter(
            deployment__in=public.order_by().values("pk")
        )
        .order_by()
        .values_list("technology_id")
        .annotate(n=Count("deployment_id", distinct=True)),
        "list page 1 (all public, by title)": sorted_deployments(
            deployment_cards(None), DeploymentFilters()
        )[:50],
        "list page 1 (France, by title)": sorted_deployments(
            apply_filters(deployment_cards(None), DeploymentFilters(country=("FR",))),
            DeploymentFilters(),
        )[:50],
        "map rows (all public)": map_rows_query(public),
        "not public (a team's view)": public.model.objects.exclude(
            visibility=Visibility.PUBLIC
        ).values_list("pk"),
    }


def main() -> None:
    postgres = connection.vendor == "postgresql"
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
    for title, queryset in queries().items():
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(prefix + sql, params)
            rows = cursor.fetchall()
        print(f"## {title}\n")
        for row in rows:
            print("    " + (row[0] if postgres else row[-1]))
        print()


if __name__ == "__main__":
    main()
