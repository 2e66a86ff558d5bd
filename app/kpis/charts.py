"""Run charts and XmR charts drawn as accessible SVG on the server (no JavaScript).

`run_chart_svg` takes plain values, so the steering-group report can draw the same chart
at a small size. Every line and mark carries a class (kpi-median, kpi-target, kpi-mean,
kpi-limit, kpi-signal) that tests and print styles can find.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from app.kpis import rules

BLUE, GREY, DARK, ORANGE, GREEN = "#005eb8", "#768692", "#212b32", "#ed8b00", "#007f3b"


def _fmt(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


NICE_STEPS = (1, 2, 5, 10, 20, 25)


def axis_range(values: list[float], extra: list[float] | None = None) -> tuple[float, float, int]:
    """The percentage axis scaled to the data (never a fixed 0-100 that flattens a KPI of
    a few per cent): (low, high, tick step). `extra` lines (median, target) widen the range
    only when they sit near the data, so a far-off target cannot flatten the points."""
    if not values:
        return 0.0, 100.0, 20
    lo, hi = min(values), max(values)
    span = max(hi - lo, 2.0)
    for v in extra or []:
        if lo - span <= v <= hi + span:
            lo, hi = min(lo, v), max(hi, v)
    pad = max((hi - lo) * 0.1, 1.0)
    lo, hi = max(0.0, lo - pad), min(100.0, hi + pad)
    step = next((s for s in NICE_STEPS if (hi - lo) / s <= 6), 25)
    lo = step * int(lo // step)
    hi = min(100.0, step * -int(-hi // step))
    return float(lo), float(max(hi, lo + step)), step


def run_chart_svg(
    labels: list[str],
    values: list[float],
    *,
    title: str,
    target: float | None = None,
    target_label: str = "Target",
    higher_is_better: bool = True,
    view: str = "run",
    width: int = 720,
    height: int = 340,
    chart_id: str = "kpi-chart",
    x_label: str = "Period",
) -> Markup:
    """An SVG chart of percentages over time with its centre line, target and signals."""
    xmr = rules.analyse_xmr(values) if view == "xmr" else None
    run = rules.analyse_run_chart(values)
    centre = xmr.mean if xmr else run.median
    centre_name = "Mean" if xmr else "Median"
    signals = xmr.signals if xmr else run.signals
    small = width < 500
    left, right, top, bottom = (44, 86, 14, 46) if small else (64, 118, 20, 62)
    plot_w, plot_h = width - left - right, height - top - bottom
    font = 10 if small else 12

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / max(len(values), 1))

    limits = [xmr.lower, xmr.upper] if xmr else []
    near = [v for v in (centre, target, *limits) if v is not None]
    low, high, tick_step = axis_range(values, near)

    def y(v: float) -> float:
        return top + plot_h * (1 - (max(low, min(high, v)) - low) / (high - low))

    desc = _description(
        labels,
        values,
        centre_name,
        centre,
        target,
        target_label,
        signals,
        higher_is_better,
        "mean" if xmr else "median",
        xmr,
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'class="kpi-chart" font-family="Arial, sans-serif" font-size="{font}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]
    # Axes and gridlines at a step that suits the data's range.
    for tick in range(int(low), int(high) + 1, tick_step):
        out.append(
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="#d8dde0" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end" fill="{DARK}">'
            f"{tick}</text>"
        )
    out.append(
        f'<line class="kpi-axis" x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" '
        f'stroke="{DARK}"/><line class="kpi-axis" x1="{left}" x2="{left + plot_w}" '
        f'y1="{top + plot_h}" y2="{top + plot_h}" stroke="{DARK}"/>'
    )
    out.append(
        f'<text class="kpi-axis-label" transform="translate({font + 2},{top + plot_h / 2:.1f}) '
        f'rotate(-90)" text-anchor="middle" fill="{DARK}">Percentage (%)</text>'
        f'<text class="kpi-axis-label" x="{left + plot_w / 2:.1f}" y="{height - 6}" '
        f'text-anchor="middle" fill="{DARK}">{escape(x_label)}</text>'
    )
    step = max(1, -(-len(labels) // (4 if small else 8)))
    for i, label in enumerate(labels):
        if i % step == 0 or i == len(labels) - 1 and len(labels) <= 3:
            out.append(
                f'<text x="{x(i):.1f}" y="{top + plot_h + font + 6}" text-anchor="middle" '
                f'fill="{DARK}">{escape(label)}</text>'
            )

    def hline(value: float, css: str, colour: str, dash: str, text: str) -> None:
        out.append(
            f'<line class="{css}" data-value="{_fmt(value)}" x1="{left}" x2="{left + plot_w}" '
            f'y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="{colour}" stroke-width="2" '
            f'stroke-dasharray="{dash}"/>'
            f'<text class="{css}-label" x="{left + plot_w + 4}" y="{y(value) + 4:.1f}" '
            f'fill="{colour}">{escape(text)}</text>'
        )

    if xmr:
        hline(max(xmr.lower, 0), "kpi-limit", GREY, "2 3", f"Lower {_fmt(max(xmr.lower, 0))}%")
        hline(min(xmr.upper, 100), "kpi-limit", GREY, "2 3", f"Upper {_fmt(min(xmr.upper, 100))}%")
    if centre is not None:
        css = "kpi-mean" if xmr else "kpi-median"
        hline(centre, css, DARK, "6 4", f"{centre_name} {_fmt(centre)}%")
    if target is not None and low <= target <= high:
        hline(target, "kpi-target", GREEN, "10 3 2 3", f"{target_label} {_fmt(target)}%")
    elif target is not None:  # off the scaled axis: said in words rather than squashing it
        where = "above" if target > high else "below"
        out.append(
            f'<text class="kpi-target-label" x="{left + plot_w + 4}" '
            f'y="{top + 8 if target > high else top + plot_h:.1f}" fill="{GREEN}">'
            f"{escape(target_label)} {_fmt(target)}% ({where})</text>"
        )

    if values:
        path = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
        out.append(
            f'<polyline class="kpi-line" points="{path}" fill="none" stroke="{BLUE}" '
            f'stroke-width="2"/>'
        )
    flagged: dict[int, list[str]] = {}
    for signal in signals:
        for index in signal.indices:
            flagged.setdefault(index, []).append(signal.rule)
    for i, v in enumerate(values):
        label = f"{labels[i]}: {_fmt(v)}%"
        if i in flagged:
            rules_text = " ".join(sorted(set(flagged[i])))
            # A signal is a larger orange diamond, not just a colour change.
            r = 5 if small else 7
            cx, cy = x(i), y(v)
            out.append(
                f'<path class="kpi-point kpi-signal" data-signal="{rules_text}" '
                f'd="M{cx:.1f},{cy - r:.1f} L{cx + r:.1f},{cy:.1f} L{cx:.1f},{cy + r:.1f} '
                f'L{cx - r:.1f},{cy:.1f} Z" fill="{ORANGE}" stroke="{DARK}" stroke-width="1">'
                f"<title>{escape(label)} (signal)</title></path>"
            )
        else:
            out.append(
                f'<circle class="kpi-point" cx="{x(i):.1f}" cy="{y(v):.1f}" '
                f'r="{3 if small else 4}" fill="{BLUE}"><title>{escape(label)}</title></circle>'
            )
    out.append("</svg>")
    return Markup("".join(out))


def _description(
    labels: list[str],
    values: list[float],
    centre_name: str,
    centre: float | None,
    target: float | None,
    target_label: str,
    signals: tuple[rules.Signal, ...],
    higher_is_better: bool,
    centre_word: str,
    xmr: rules.XmRAnalysis | None,
) -> str:
    if not values:
        return "No values recorded yet."
    parts = [f"{len(values)} values from {labels[0]} to {labels[-1]}."]
    parts.append(f"Latest {_fmt(values[-1])}%.")
    if centre is not None:
        parts.append(f"{centre_name} {_fmt(centre)}%.")
    if xmr:
        parts.append(f"Process limits {_fmt(max(xmr.lower, 0))}% to {_fmt(min(xmr.upper, 100))}%.")
    if target is not None:
        parts.append(f"{target_label} {_fmt(target)}%.")
    if signals:
        words = [rules.describe(s, higher_is_better, labels, centre_word) for s in signals]
        parts.append("Signals: " + "; ".join(words) + ".")
    else:
        parts.append("No signals.")
    return " ".join(parts)


def mini_run_chart(
    labels: list[str], values: list[float], *, chart_id: str, name: str, median: float | None
) -> Markup:
    """A small run chart for the KPI index: the line, its median and the axis's ends, scaled
    to the data. Its description says the same in words."""
    width, height, left, right, top, bottom = 170, 54, 30, 6, 6, 8
    low, high, _step = axis_range(values, [median] if median is not None else [])
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(i: int) -> float:
        return left + plot_w * (i + 0.5) / max(len(values), 1)

    def y(v: float) -> float:
        return top + plot_h * (1 - (max(low, min(high, v)) - low) / (high - low))

    desc = (
        f"{len(values)} periods from {labels[0]} to {labels[-1]}; latest {_fmt(values[-1])}%; "
        f"lowest {_fmt(min(values))}%, highest {_fmt(max(values))}%"
        + (f"; median {_fmt(median)}%." if median is not None else ".")
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" class="kpi-mini" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" font-family="Arial, sans-serif" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">Run chart of {escape(name)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="{GREY}"/>',
        f'<text x="{left - 3}" y="{top + 7}" font-size="9" text-anchor="end" fill="{DARK}">'
        f"{_fmt(high)}%</text>",
        f'<text x="{left - 3}" y="{top + plot_h}" font-size="9" text-anchor="end" fill="{DARK}">'
        f"{_fmt(low)}%</text>",
    ]
    if median is not None:
        out.append(
            f'<line class="kpi-median" x1="{left}" x2="{left + plot_w}" y1="{y(median):.1f}" '
            f'y2="{y(median):.1f}" stroke="{DARK}" stroke-dasharray="4 3"/>'
        )
    points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
    out.append(f'<polyline points="{points}" fill="none" stroke="{BLUE}" stroke-width="2"/>')
    out.append(
        f'<circle cx="{x(len(values) - 1):.1f}" cy="{y(values[-1]):.1f}" r="3" fill="{BLUE}"/>'
    )
    out.append("</svg>")
    return Markup("".join(out))
