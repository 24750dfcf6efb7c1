"""Horizontal bar charts as inline SVG, drawn on the server: no script, no library, no CDN.

Each chart names itself (`role="img"`, `aria-labelledby` on its title) and is always followed by its
data table, the accessible alternative. A hidden value is drawn as a hatched bar labelled as
published (« < 5 » or « s »), never at its true length.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from evaluation.evaluation import Table

ROW = 22
LABEL_WIDTH = 230
BAR_WIDTH = 300
VALUE_WIDTH = 50
HIDDEN_LENGTH = 18
# Characters of a label that fit in LABEL_WIDTH at 12 px; the data table below gives it in full.
MAX_LABEL = 30


def bar_chart(table: Table, *, chart_id: str) -> str:
    bars = table.bars()
    if not bars or table.is_empty or not table.chart:
        return ""
    largest = max((cell.value for _, cell in bars if not cell.hidden), default=0) or 1
    height = ROW * len(bars) + 8
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    title_id = f"{chart_id}-titre"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-labelledby="{title_id}" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}">',
        f'<title id="{title_id}">{escape(table.title)}</title>',
        f'<defs><pattern id="{chart_id}-hachures" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#5a6270" stroke-width="2"/></pattern></defs>',
    ]
    for index, (label, cell) in enumerate(bars):
        y = 4 + index * ROW
        text_y = y + ROW / 2 + 4
        short = label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{text_y}" text-anchor="end" font-size="12" fill="#1e2430">'
            f"{escape(short)}</text>"
        )
        if cell.hidden:
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{HIDDEN_LENGTH}" height="{ROW - 6}" '
                f'fill="url(#{chart_id}-hachures)" stroke="#5a6270"/>'
            )
            length = HIDDEN_LENGTH
        else:
            length = round(BAR_WIDTH * cell.value / largest)
            if length:
                parts.append(
                    f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length}" height="{ROW - 6}" fill="#1f4e79"/>'
                )
        parts.append(
            f'<text x="{LABEL_WIDTH + length + 4}" y="{text_y}" font-size="12" fill="#1e2430">'
            f"{escape(cell.label)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
