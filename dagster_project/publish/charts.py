"""Charts for the scorecards, drawn by matplotlib and inlined into the page as SVG.

Inline SVG keeps the pages self-contained (nothing to fetch, so they open from a mail attachment or a
file share with no network) and sharp when printed. Chart text is numbers and period labels only, and
matplotlib draws it as outlines (`svg.fonttype = path`), so the charts look the same in both languages
and on machines without the fonts of the machine that drew them. The grade colours are the badges'.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # no display: render to memory only

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from dagster_project.publish.scorecard_data import GradeBand, TrendPoint

GRADE_COLOURS = {"S": "#7c3aed", "A": "#16a34a", "B": "#2563eb", "C": "#d97706", "D": "#dc2626"}
CORE_COLOUR = "#1e3a5f"
EXTENSION_COLOUR = "#8fb3d9"
MUTED = "#94a3b8"
INK = "#334155"
STYLE = {
    "svg.fonttype": "path",  # text as outlines: no font needed where the page is opened
    "svg.hashsalt": "dcw-scorecards",  # stable element ids: the same data gives the same file
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.edgecolor": "#cbd5e1",
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
}
SVG_OPEN_TAG = re.compile(r"<svg\b[^>]*>")


def _svg(fig: Figure) -> str:
    """The figure as an inline <svg> element that scales to its container (the page labels it)."""
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, transparent=True)
    plt.close(fig)
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    open_tag = SVG_OPEN_TAG.search(text)
    assert open_tag is not None
    view_box = re.search(r'viewBox="([^"]+)"', open_tag[0])
    assert view_box is not None
    new_tag = (
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'viewBox="{view_box[1]}" aria-hidden="true" focusable="false">'
    )
    return text[: open_tag.start()] + new_tag + text[open_tag.end() :]


def sparkline(points: Sequence[TrendPoint]) -> str:
    """A department's index over the periods of one type, the current period marked in its grade's
    colour, on a fixed 0-100 axis so departments compare at a glance."""
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(1.7, 0.42), dpi=100)
        fig.subplots_adjust(left=0.03, right=0.97, top=0.92, bottom=0.08)
        xs = list(range(len(points)))
        ys = [p.contribution_index for p in points]
        ax.axhspan(60, 100, color="#f1f5f9", zorder=0, lw=0)
        ax.plot(xs, ys, color=MUTED, lw=1.3, solid_capstyle="round", zorder=2)
        if points:
            ax.scatter(
                [xs[-1]], [ys[-1]], s=18, color=GRADE_COLOURS.get(points[-1].grade, INK), zorder=3, lw=0
            )
        ax.set_ylim(-4, 104)
        ax.set_xlim(-0.6, max(len(points) - 0.4, 0.6))
        ax.axis("off")
        return _svg(fig)


def _period_label(period_id: str, previous: str | None) -> str:
    """`2025\n11` for the first month and every January, `12` otherwise; quarters as `Q4\n2025`."""
    year, part = period_id.split("-")
    if part.startswith("Q"):
        return f"{part}\n{year}"
    return f"{part}\n{year}" if previous is None or part == "01" else part


def history(points: Sequence[TrendPoint], grade_bands: Sequence[GradeBand], wide: bool) -> str:
    """Core and extension points stacked per period, the index written on top, the current period (the
    last) in full colour, grade bands dotted and a change of scoring scheme dashed."""
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(7.2 if wide else 3.6, 2.5), dpi=100)
        fig.subplots_adjust(left=0.07 if wide else 0.13, right=0.97 if wide else 0.94, top=0.9, bottom=0.2)
        xs = list(range(len(points)))
        last = len(points) - 1
        alphas = [1.0 if i == last else 0.55 for i in xs]
        for i, p in enumerate(points):
            ax.bar(i, p.core_subtotal, width=0.66, color=CORE_COLOUR, alpha=alphas[i], lw=0, zorder=2)
            ax.bar(
                i,
                p.extension_subtotal,
                bottom=p.core_subtotal,
                width=0.66,
                color=EXTENSION_COLOUR,
                alpha=alphas[i],
                lw=0,
                zorder=2,
            )
            ax.text(
                i,
                p.contribution_index + 2,
                f"{p.contribution_index:.1f}",
                ha="center",
                va="bottom",
                fontsize=7.5 if wide else 7,
                color=GRADE_COLOURS.get(p.grade, INK) if i == last else INK,
                fontweight="bold" if i == last else "normal",
            )
        for band in grade_bands:
            if band.min_index > 0:
                ax.axhline(band.min_index, color=MUTED, lw=0.6, ls=(0, (1, 2)), zorder=1)
                ax.text(
                    len(points) - 0.45,
                    band.min_index,
                    band.grade,
                    fontsize=6.5,
                    color=GRADE_COLOURS.get(band.grade, MUTED),
                    va="center",
                    ha="left",
                )
        for i in range(1, len(points)):
            if points[i].scheme_version != points[i - 1].scheme_version:
                ax.axvline(i - 0.5, color=INK, lw=0.8, ls=(0, (4, 3)), zorder=1)
                ax.text(i - 0.42, 103, points[i].scheme_version, fontsize=6.5, color=INK, va="top", ha="left")
        labels = [
            _period_label(p.period_id, points[i - 1].period_id if i else None) for i, p in enumerate(points)
        ]
        ax.set_xticks(xs, labels)
        ax.tick_params(axis="x", length=0, pad=3)
        ax.tick_params(axis="y", length=0, labelsize=7)
        ax.set_yticks([0, 20, 40, 60, 80, 100])
        ax.set_ylim(0, 108)
        ax.set_xlim(-0.6, len(points) - 0.1)
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.grid(axis="y", color="#eef2f7", lw=0.6, zorder=0)
        ax.set_axisbelow(True)
        return _svg(fig)
