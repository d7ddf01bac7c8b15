"""Import our `deployments.csv` layout, or a spreadsheet made like it: one row per deployment.

Required columns: title, country, status, certainty. Optional: id (our stable id), external_id
(your own id; with ``--scheme``), slug, summary, locality, subdivision, latitude, longitude,
technologies, quantities, buyers, suppliers, financiers, amounts and source_urls (lists
separated by ';'), visibility (public, partners or private, as on the deal page) and
embargo_until (YYYY-MM-DD). Other columns our export adds (such as permalink) are ignored; any
other column is ignored with a warning naming it, so a misspelt column is never dropped unseen.
Column names are matched in any case; the delimiter (comma, semicolon or tab) is sniffed.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from citywatch.core.choices import Visibility
from citywatch.exchange.imports.reading import read_csv
from citywatch.exchange.imports.rows import (
    CellReader,
    DeploymentRow,
    RowImporter,
    SourceLink,
    split_list,
)

REQUIRED_COLUMNS = ["title", "country", "status", "certainty"]
OPTIONAL_COLUMNS = [
    "id",
    "external_id",
    "slug",
    "summary",
    "locality",
    "subdivision",
    "latitude",
    "longitude",
    "technologies",
    "quantities",
    "buyers",
    "suppliers",
    "financiers",
    "amounts",
    "source_urls",
    "visibility",
    "embargo_until",
]


def known_columns() -> set[str]:
    """The columns this format reads, and those our deployments.csv export adds (read back
    without a word)."""
    from citywatch.exchange.tables import DEPLOYMENT_COLUMNS

    exported = {column.name.casefold() for column in DEPLOYMENT_COLUMNS}
    return exported | set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)


def parse_visibility(text: str) -> str:
    """A visibility as the deal page offers it: its value (``public``, ``partners``,
    ``private``) or its label, in any case.

    Raises:
        ValueError: any other text (the message lists the values).
    """
    folded = text.strip().casefold()
    for value, label in Visibility.choices:
        if folded in (value, str(label).casefold()):
            return value
    raise ValueError(
        _("unknown visibility %(value)r: write public, partners or private") % {"value": text}
    )


def parse_embargo(text: str) -> dt.date:
    """The last day of an embargo, written YYYY-MM-DD.

    Raises:
        ValueError: any other text.
    """
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as error:
        raise ValueError(
            _("embargo_until %(value)r is not a day: write it as YYYY-MM-DD") % {"value": text}
        ) from error


def is_our_csv(header: list[str]) -> bool:
    names = {name.strip().casefold() for name in header}
    return all(column in names for column in ("title", "country"))


class CsvImporter(RowImporter):
    format_name = "citywatch-csv"

    def run(self, text: str) -> None:
        header, rows, problems = read_csv(text)
        self.report.problems += problems
        header = [name.casefold() for name in header]
        missing = [column for column in REQUIRED_COLUMNS if column not in header]
        if missing:
            self.report.problem(
                1, _("missing columns: %(columns)s") % {"columns": ", ".join(missing)}
            )
            return
        known = known_columns()
        for name in header:
            if name.strip() and name.strip() not in known:
                self.report.warn(
                    1,
                    _(
                        "the column %(column)s is not one this format knows and was ignored: "
                        "check its spelling (see docs/exports-and-imports.md)"
                    )
                    % {"column": name},
                    column=name,
                )
        for line, cells in rows:
            self.report.rows += 1
            self.row(
                line, "", lambda cells=cells, line=line: self.import_row(self.parse(line, cells))
            )

    def parse(self, line: int, cells: dict[str, str]) -> DeploymentRow:
        """Read every cell of the row; raises RowProblems with all its problems at once."""
        reader = CellReader(cells)
        title = reader.text("title")
        if not title:
            reader.problem("title", _("the title is empty: give the deployment a title"))
        country = reader.read("country", self.country_code)
        if country is None and not reader.text("country"):
            reader.problem("country", _("the country is empty: give its ISO code, e.g. ZM"))
        status, certainty = self.read_labels(reader)
        for column in ("status", "certainty"):
            if not reader.text(column):
                reader.problem(column, _("%(column)s is empty") % {"column": column})
        latitude, longitude = self.read_coordinates(reader)
        name = reader.text("locality")
        if latitude is not None and not name:
            reader.problem("locality", _("coordinates need a locality name"))
        placement = self.read_place(
            reader,
            country,
            name,
            reader.text("subdivision"),
            latitude,
            longitude,
        )
        row = DeploymentRow(
            line=line,
            id=reader.text("id"),
            external_id=reader.text("external_id"),
            slug=reader.text("slug"),
            title=title,
            summary=reader.cells.get("summary") if reader.has("summary") else None,
            country=country or "",
            status=status,
            certainty=certainty,
            placement=placement,
            technologies=self.read_technologies(reader, "technologies"),
            quantities=self.read_quantities(reader, "quantities"),
            money=self.read_money(reader, "amounts"),
            buyers=split_list(reader.text("buyers")),
            suppliers=split_list(reader.text("suppliers")),
            financiers=split_list(reader.text("financiers")),
            sources=[SourceLink(url=url) for url in split_list(reader.text("source_urls"))],
            visibility=reader.read("visibility", parse_visibility) or "",
            embargo_until=reader.read("embargo_until", parse_embargo),
        )
        reader.finish()
        return row
