"""The one way Parcours renders a PDF: a template through WeasyPrint, fonts and styles served locally.

Every PDF is tagged (PDF/UA-1): headings, tables and reading order are in the file, with the document's
language and title, so a screen reader reads it as it reads the page (RGAA 13.3)."""

from django.conf import settings
from django.template.loader import render_to_string


def pdf_render(template: str, context: dict) -> bytes:
    # WeasyPrint loads Pango at import: only the processes that render a PDF pay for it.
    from weasyprint import HTML

    html = HTML(string=render_to_string(template, context), base_url=str(settings.BASE_DIR))
    return html.write_pdf(pdf_variant="pdf/ua-1")
