"""Server-rendered SVG plots: no JavaScript, no chart library, no CDN.

Each plot is an `<svg role="img">` with a title and a description; the dashboard also gives the
same numbers as a table, so nothing is only in the picture (WCAG 1.1.1). Labels are escaped
here because the SVG is marked safe as a whole.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

COLOURS = ["#0b4f8a", "#b3541e", "#2e7d32", "#6a1b9a", "#455a64"]


def _svg(width, height, title, desc, body):
    return mark_safe(  # noqa: S308 (every label below is escaped)
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="chart">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>{''.join(body)}</svg>"
    )


def bars(items, title, desc, width=720, bar=18, gap=6, label_width=230):
    """Horizontal bars: items is [(label, value)]."""
    top = max((v for _l, v in items), default=0) or 1
    height = len(items) * (bar + gap) + gap
    plot = width - label_width - 70
    body = []
    for i, (label, value) in enumerate(items):
        y = gap + i * (bar + gap)
        length = max(1, round(plot * value / top)) if value else 0
        body.append(
            f'<text x="{label_width - 6}" y="{y + bar - 5}" text-anchor="end" '
            f'font-size="12">{escape(label[:34])}</text>'
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar}" fill="{COLOURS[0]}"/>'
            f'<text x="{label_width + length + 4}" y="{y + bar - 5}" font-size="12">{value}</text>'
        )
    return _svg(width, height, title, desc, body)


def lines(series, title, desc, width=720, height=240, y_label=""):
    """Line plot: series is [(label, [values])], all of the same length."""
    pad_left, pad_bottom, pad_top = 50, 24, 10
    plot_w, plot_h = width - pad_left - 10, height - pad_bottom - pad_top
    top = max((max(values, default=0) for _l, values in series), default=0) or 1
    body = [
        f'<line x1="{pad_left}" y1="{pad_top + plot_h}" x2="{width - 10}" '
        f'y2="{pad_top + plot_h}" stroke="#333"/>'
        f'<line x1="{pad_left}" y1="{pad_top}" x2="{pad_left}" y2="{pad_top + plot_h}" '
        f'stroke="#333"/>'
        f'<text x="{pad_left - 4}" y="{pad_top + 10}" text-anchor="end" font-size="11">'
        f"{_short(top)}</text>"
        f'<text x="{pad_left - 4}" y="{pad_top + plot_h}" text-anchor="end" font-size="11">0</text>'
        f'<text x="{pad_left}" y="{height - 6}" font-size="11">{escape(y_label)}</text>'
    ]
    for index, (label, values) in enumerate(series):
        if not values:
            continue
        step = plot_w / max(len(values) - 1, 1)
        points = " ".join(
            f"{pad_left + i * step:.1f},{pad_top + plot_h - plot_h * v / top:.1f}"
            for i, v in enumerate(values)
        )
        colour = COLOURS[index % len(COLOURS)]
        dash = "" if index == 0 else f' stroke-dasharray="{2 + 2 * index},3"'
        body.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash} points="{points}">'
            f"<title>{escape(label)}</title></polyline>"
        )
    return _svg(width, height, title, desc, body)


def _short(value):
    if isinstance(value, float) and value <= 1:
        return f"{round(value * 100)}%"
    return f"{value:,}".replace(",", ".")
