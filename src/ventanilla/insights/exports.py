"""The legal PQRSD report (`report.py`) as tables, and those tables as CSV, XLSX and PDF.

Every format carries the same tables, built once by `report_tables`: the page, the PDF and the
spreadsheets cannot disagree. The CSV is one long table (section, row, column, value), written
in UTF-8 with a byte-order mark because Excel, which most offices open it with, reads a CSV
without one in the machine's legacy code page and garbles every accent and "ñ".
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from ventanilla.insights.report import AnsweredRequest, PqrsdReport, TypeLine

Value = int | float | str | None
# WeasyPrint lays out about a hundred table rows a second: the PDF lists the first requests
# for information and says where the rest are (the CSV and XLSX always hold every one).
PDF_REQUEST_ROWS = 300

# The legal source of each section, shown under its table (docs/reports.md explains each figure).
SOURCES = {
    "types": "Ley 1755 de 2015, arts. 14, 17, 21; Ley 1712 de 2014, art. 11 lit. h",
    "information": "Ley 1712 de 2014, art. 11 lit. h; Decreto 1081 de 2015, art. 2.1.1.6.2",
    "requests": "Decreto 1081 de 2015, art. 2.1.1.6.2 (tiempo de respuesta a cada solicitud)",
    "complaints": "Ley 1474 de 2011, art. 76",
}


@dataclass(frozen=True)
class Table:
    key: str
    title: str
    source: str
    columns: list[str]
    rows: list[list[Value]]  # the first cell of each row names it


def _line_columns() -> list[str]:
    return [
        _("Tipo de petición"),
        _("Recibidas"),
        _("Trasladadas"),
        _("Respondidas"),
        _("Negadas"),
        _("Desistidas"),
        _("A tiempo"),
        _("Fuera de término"),
        _("Abiertas al cierre"),
        _("Días hábiles promedio"),
        _("Días hábiles mediana"),
    ]


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _line_row(line: TypeLine, label: str | None = None) -> list[Value]:
    return [
        capfirst(label or line.label),
        line.received,
        line.transferred,
        line.answered,
        line.refused,
        line.withdrawn,
        line.on_time,
        line.late,
        line.open_at_end,
        _rounded(line.average_days),
        _rounded(line.median_days),
    ]


def _yes_no(value: bool | None) -> str:
    return "" if value is None else (_("Sí") if value else _("No"))


def _request_row(request: AnsweredRequest) -> list[Value]:
    return [
        request.filing_number,
        request.received_on.isoformat(),
        request.closed_on.isoformat(),
        request.answer_days,
        _yes_no(request.on_time),
        _yes_no(request.refused),
    ]


def report_tables(report: PqrsdReport) -> list[Table]:
    """The report's tables, in the active language."""
    info = report.information
    total = _("Total")
    return [
        Table(
            "types",
            _("Peticiones por tipo"),
            SOURCES["types"],
            _line_columns(),
            [_line_row(line) for line in report.lines] + [_line_row(report.total, total)],
        ),
        Table(
            "information",
            _("Solicitudes de acceso a la información pública"),
            SOURCES["information"],
            [_("Cifra"), _("Valor")],
            [
                [_("Solicitudes recibidas"), info.received],
                [_("Trasladadas a otra institución"), info.transferred],
                [_("Respondidas"), info.answered],
                [_("Solicitudes en que se negó el acceso"), info.refused],
                [_("Días hábiles promedio de respuesta"), _rounded(info.average_days)],
                [_("Días hábiles mediana de respuesta"), _rounded(info.median_days)],
            ],
        ),
        Table(
            "requests",
            _("Tiempo de respuesta de cada solicitud de información"),
            SOURCES["requests"],
            [
                _("Número de radicado"),
                _("Recibida"),
                _("Respondida"),
                _("Días hábiles"),
                _("A tiempo"),
                _("Negada"),
            ],
            [_request_row(r) for r in report.information_requests],
        ),
        Table(
            "complaints",
            _("Quejas, reclamos, sugerencias y denuncias"),
            SOURCES["complaints"],
            _line_columns(),
            [_line_row(line) for line in report.complaints]
            + [_line_row(report.complaints_total, total)],
        ),
    ]


def _file_name(report: PqrsdReport, extension: str) -> str:
    return f"pqrsd-{report.entity.code}-{report.start}-{report.end}.{extension}"


def _csv_lines(tables: list[Table]) -> Iterator[list[Value]]:
    yield [_("Sección"), _("Concepto"), _("Columna"), _("Valor")]
    for table in tables:
        for row in table.rows:
            for column, value in zip(table.columns[1:], row[1:], strict=True):
                yield [table.title, row[0], column, "" if value is None else value]


class _Echo:
    def write(self, value: str) -> str:
        return value


def report_csv(report: PqrsdReport) -> tuple[str, Iterator[str]]:
    """The file name and the lines of the CSV, made as they are sent (a semester of a large
    entity holds thousands of information requests)."""
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"
        for line in _csv_lines(report_tables(report)):
            yield writer.writerow(line)

    return _file_name(report, "csv"), lines()


def report_xlsx(report: PqrsdReport) -> tuple[str, bytes]:
    """The file name and an XLSX workbook with one sheet per section."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "constant_memory": True})
    bold = workbook.add_format({"bold": True})
    for table in report_tables(report):
        sheet = workbook.add_worksheet(table.title[:31])
        sheet.write_row(0, 0, table.columns, bold)
        for index, row in enumerate(table.rows, start=1):
            sheet.write_row(index, 0, ["" if v is None else v for v in row])
        sheet.write(len(table.rows) + 2, 0, f"{_('Fuente')}: {table.source}")
        sheet.set_column(0, 0, 28)
    workbook.close()
    return _file_name(report, "xlsx"), buffer.getvalue()


def report_pdf(report: PqrsdReport, *, language: str) -> tuple[str, bytes]:
    """The file name and a tagged PDF (PDF/UA-1) with the same tables as the page."""
    from weasyprint import HTML

    with translation.override(language):
        tables = report_tables(report)
        requests = next(t for t in tables if t.key == "requests")
        omitted = max(0, len(requests.rows) - PDF_REQUEST_ROWS)
        del requests.rows[PDF_REQUEST_ROWS:]
        html = render_to_string(
            "insights/report_pdf.html",
            {"report": report, "tables": tables, "language": language, "omitted": omitted},
        )
    pdf: bytes = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(
        pdf_variant="pdf/ua-1", uncompressed_pdf=False
    )
    return _file_name(report, "pdf"), pdf
