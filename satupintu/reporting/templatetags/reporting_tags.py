from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

CODES = {
    "belum": "B",
    "draf": "D",
    "dikirim": "K",
    "dikembalikan": "P",
    "disetujui": "S",
    "terlambat": "T",
}


@register.simple_tag
def percent(value):
    return "—" if value is None else f"{round(value * 100)}%"


@register.simple_tag
def status_code(status):
    """One letter per status in the matrix (the legend under it explains them)."""
    return CODES.get(status, "?")


@register.simple_tag
def status_name(status):
    from ..obligations import STATE_LABELS

    return str(STATE_LABELS.get(status, status))  # the labels are already translatable


@register.simple_tag
def matrix_rows(matrix):
    """The matrix body, built here rather than with template tags: a 36-month matrix of 60
    OPDs is over two thousand cells, and per-cell template work was most of the page's cost.
    Every value is escaped; the status is in the text (a letter) and the title, not only in
    the colour."""
    from ..obligations import STATE_LABELS

    labels = {key: escape(str(label)) for key, label in STATE_LABELS.items()}
    detail = reverse("reporting_submission", args=[0]).replace("/0/", "/{}/")
    out = []
    for opd, cells in matrix:
        row = [f'<tr><th scope="row">{escape(opd.acronym or opd.name)}</th>']
        for o in cells:
            if o is None:
                row.append("<td></td>")
                continue
            status = o.status
            text = CODES.get(status, "?") + ("*" if o.submitted_late else "")
            attrs = f'class="report-status report-status--{status}" title="{labels[status]}"'
            if o.submission:
                href = detail.format(o.submission["id"])
                row.append(f'<td><a href="{href}" {attrs}>{text}</a></td>')
            else:
                row.append(f"<td><span {attrs}>{text}</span></td>")
        row.append("</tr>")
        out.append("".join(row))
    return mark_safe("\n".join(out))  # noqa: S308 (built from escaped values above)
