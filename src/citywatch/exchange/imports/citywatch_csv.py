"""Import our `deployments.csv` layout: one row per deployment.

Required columns: title, country, status, certainty. Optional: id (our stable id),
external_id (your own id; with ``--scheme``), slug, summary, locality, subdivision, latitude,
longitude, technologies, buyers, suppliers, financiers (lists separated by ';'), source_urls.
Other columns (those our export adds, such as permalink) are ignored.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from citywatch.exchange.imports.base import parse_decimal
from citywatch.exchange.imports.reading import read_csv
from citywatch.exchange.imports.rows import DeploymentRow, RowImporter, SourceLink, split_list

REQUIRED_COLUMNS = ["title", "country", "status", "certainty"]


def is_our_csv(header: list[str]) -> bool:
    names = {name.casefold() for name in header}
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
            cells = {name.casefold(): value for name, value in cells.items()}
            self.row(
                line, "", lambda cells=cells, line=line: self.import_row(self.parse(line, cells))
            )

    def parse(self, line: int, cells: dict[str, str]) -> DeploymentRow:
        def cell(name: str) -> str:
            return cells.get(name, "").strip()

        return DeploymentRow(
            line=line,
            id=cell("id"),
            external_id=cell("external_id"),
            slug=cell("slug"),
            title=cell("title"),
            summary=cells.get("summary"),
            country=cell("country"),
            locality=cell("locality"),
            subdivision=cell("subdivision"),
            latitude=parse_decimal(cell("latitude"), 5, "latitude"),
            longitude=parse_decimal(cell("longitude"), 5, "longitude"),
            status=cell("status"),
            certainty=cell("certainty"),
            technologies=split_list(cell("technologies")),
            buyers=split_list(cell("buyers")),
            suppliers=split_list(cell("suppliers")),
            financiers=split_list(cell("financiers")),
            sources=[SourceLink(url=url) for url in split_list(cell("source_urls"))],
        )
