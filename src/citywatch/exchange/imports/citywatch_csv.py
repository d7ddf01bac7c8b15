"""Import our `deployments.csv` layout, or a spreadsheet made like it: one row per deployment.

Required columns: title, country, status, certainty. Optional: id (our stable id), external_id
(your own id; with ``--scheme``), slug, summary, locality, subdivision, latitude, longitude,
technologies, quantities, buyers, suppliers, financiers, amounts and source_urls (lists
separated by ';'). Other columns (those our export adds, such as permalink) are ignored.
Column names are matched in any case; the delimiter (comma, semicolon or tab) is sniffed.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from citywatch.exchange.imports.reading import read_csv
from citywatch.exchange.imports.rows import (
    CellReader,
    DeploymentRow,
    RowImporter,
    SourceLink,
    split_list,
)

REQUIRED_COLUMNS = ["title", "country", "status", "certainty"]


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
        )
        reader.finish()
        return row
