"""Charts of :func:`kg.explore.trends.trends`: papers per period, one line per thing, bursts shaded.

Drawn with matplotlib's object API (no pyplot, no GUI backend); PNG and SVG are matplotlib's own,
HTML is one self-contained page holding the SVG and the counts as a table. matplotlib takes ~0.5 s
to import, so only ``kg trends --chart`` loads it.
"""

from __future__ import annotations

import io
from pathlib import Path

from ..errors import KGError

FORMATS = (".html", ".png", ".svg")
COLOURS = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]
CJK_FONTS = ["Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "PingFang SC",
             "Microsoft YaHei", "SimHei"]


def check_format(path: Path) -> None:
    """Raise a KGError unless ``path`` ends in a format kg can draw."""
    if Path(path).suffix.lower() not in FORMATS:
        raise KGError(f"{path}: a chart is written as .html, .png or .svg, not {Path(path).suffix or 'no suffix'}")


def figure(data: dict):
    """A matplotlib Figure of the trends ``data``."""
    from datetime import date

    from matplotlib import font_manager
    from matplotlib.figure import Figure

    installed = {f.name for f in font_manager.fontManager.ttflist}
    fonts = ["DejaVu Sans", *(f for f in CJK_FONTS if f in installed)]  # per-glyph fallback for Chinese labels
    fig = Figure(figsize=(10, 5.5), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    ends = [date.fromisoformat(p["end"]) for p in data["periods"]]
    starts = [date.fromisoformat(p["start"]) for p in data["periods"]]
    for i, item in enumerate(data["items"]):
        colour = COLOURS[i % len(COLOURS)]
        ax.plot(ends, item["counts"], marker="o", markersize=3, linewidth=1.6, color=colour, label=item["label"])
        for b in item["bursts"]:
            ax.axvspan(date.fromisoformat(b["start"]), date.fromisoformat(b["end"]), color=colour, alpha=0.12, linewidth=0)
    ax.set_ylabel(f"papers per {data['window']}", fontfamily=fonts)
    ax.set_xlim(starts[0], ends[-1]) if ends else None
    ax.grid(axis="y", color="#e5e5e5")
    ax.spines[["top", "right"]].set_visible(False)
    ax.set_title(title(data), loc="left", fontsize=11, fontfamily=fonts)
    if data["items"]:
        legend = ax.legend(loc="upper left", fontsize=9, frameon=False, ncols=2)
        for text in legend.get_texts():
            text.set_fontfamily(fonts)
    fig.autofmt_xdate()
    return fig


def title(data: dict) -> str:
    shown = len(data["items"])
    return (f"{data['kind']}: the {shown} of {data['total']:,} with papers, bursting first; papers per "
            f"{data['window']} (shaded: bursts)")


def write(data: dict, path: str | Path) -> Path:
    """Draw ``data`` to ``path`` (.html, .png or .svg, parents created) and return the path."""
    path = Path(path)
    check_format(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    from matplotlib import rc_context

    fig = figure(data)
    suffix = path.suffix.lower()
    tmp = path.with_name(path.name + ".part")
    with rc_context({"svg.fonttype": "none"}):  # SVG text stays text: searchable, and the viewer's fonts draw CJK
        if suffix == ".html":
            svg = io.StringIO()
            fig.savefig(svg, format="svg")
            tmp.write_text(_page(data, svg.getvalue()), encoding="utf-8")
        else:
            fig.savefig(tmp, format=suffix[1:])
    tmp.replace(path)
    return path


def _page(data: dict, svg: str) -> str:
    from markupsafe import Markup, escape

    svg = svg[svg.index("<svg"):]  # the XML prolog and DOCTYPE are not allowed inside HTML
    head = "".join(f"<th>{escape(p['end'])}</th>" for p in data["periods"])
    rows = "".join(f"<tr><th>{escape(i['label'])}</th>{''.join(f'<td>{c}</td>' for c in i['counts'])}</tr>"
                   for i in data["items"])
    totals = "".join(f"<td>{p['papers']}</td>" for p in data["periods"])
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>kg trends</title><style>'
        'body{font:13px/1.4 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",'
        '"WenQuanYi Micro Hei",sans-serif;margin:16px}table{border-collapse:collapse;font-size:12px}'
        'td,th{border:1px solid #ddd;padding:2px 5px;text-align:right}tbody th{text-align:left}'
        '.scroll{overflow-x:auto}</style></head><body>'
        f"<h1>{escape(title(data))}</h1>{Markup(svg)}"
        f'<div class="scroll"><table><thead><tr><th>period ending</th>{head}</tr></thead><tbody>{rows}'
        f"<tr><th>all papers</th>{totals}</tr></tbody></table></div></body></html>\n"
    )
