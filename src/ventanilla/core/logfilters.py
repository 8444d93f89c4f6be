"""Logging filters named by the LOGGING setting."""

import logging


class DropFontSubsetNotice(logging.Filter):
    """WeasyPrint warns on every PDF that it subsets fonts with fontTools when the system lacks
    HarfBuzz-Subset. The PDFs are right either way; the notice would bury real warnings."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "HarfBuzz-Subset" not in record.getMessage()
