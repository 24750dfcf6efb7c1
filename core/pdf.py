"""The one way Parcours renders a PDF: a template through WeasyPrint, fonts and styles served locally."""

from django.conf import settings
from django.template.loader import render_to_string


def pdf_render(template: str, context: dict) -> bytes:
    # WeasyPrint loads Pango at import: only the processes that render a PDF pay for it.
    from weasyprint import HTML

    return HTML(string=render_to_string(template, context), base_url=str(settings.BASE_DIR)).write_pdf()
