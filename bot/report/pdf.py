"""The report as a PDF (fpdf2), with matplotlib's bundled DejaVu Sans embedded (subset), so that Cyrillic text
is real, selectable text on any machine. Called in the render worker (bot.gradebook.render), never on the loop."""

from __future__ import annotations

import io

from bot.gradebook.chart import font_file, render
from bot.report.content import ReportContent

FONT = "DejaVu"
# Column widths as shares of the page (subject, marks, average, trend, period mark[, class]).
WIDTHS = (26, 34, 12, 12, 12)
WIDTHS_COMPARED = (22, 26, 11, 11, 11, 19)


def render_pdf(content: ReportContent) -> bytes:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4")
    pdf.set_title(content.title)
    pdf.set_creator("ediary-bot")
    pdf.add_font(FONT, "", font_file())
    pdf.add_font(FONT, "B", font_file(bold=True))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()

    pdf.set_font(FONT, "B", 16)
    pdf.cell(text=content.title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    for line in content.heading:
        pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    pdf.set_font(FONT, "", 9)
    widths = WIDTHS_COMPARED if len(content.columns) == len(WIDTHS_COMPARED) else WIDTHS
    with pdf.table(
        col_widths=widths, text_align="LEFT", headings_style=FontFace(emphasis="BOLD"), line_height=5
    ) as table:
        for row in [content.columns, *content.rows]:
            cells = table.row()
            for value in row:
                cells.cell(value)
    pdf.ln(2)
    pdf.set_font(FONT, "", 8)
    for note in content.notes:
        pdf.multi_cell(0, 4, note, new_x="LMARGIN", new_y="NEXT")

    pdf.ln(4)
    pdf.set_font(FONT, "B", 12)
    pdf.cell(text=content.attendance_title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 10)
    for line in content.attendance:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")

    if content.chart is not None:
        pdf.ln(4)
        pdf.image(io.BytesIO(render(content.chart)), w=pdf.epw)
    return bytes(pdf.output())
