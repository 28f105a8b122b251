"""The org chart's SVG picture and its text version, written as markup directly.

A collapsed chart of a 10,000-role organisation draws ~500 boxes and lists them again as a nested
list; through Django templates (an include, a dozen variable lookups, ``floatformat`` and
``blocktranslate`` per box) that took ~230 ms, here it takes a few. The output is what the
templates wrote, byte for byte; every value is escaped as the templates' autoescaping did, and the
texts use the same messages, so the translations apply unchanged.
"""

from __future__ import annotations

from html import escape
from math import floor

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

# blocktranslate escapes the values put into a message, not the translated message itself; so does this.

# Box fills by level (executive, senior leader, department lead; everyone else white).
_FILLS = {"executive": "#e3eef6", "senior_leader": "#e9f3ec", "department_lead": "#f6f0e4"}


def _e(value) -> str:
    """Escape like the templates' autoescaping (``conditional_escape``): safe strings pass as they are."""
    if isinstance(value, SafeString):
        return value
    return escape(str(value))


def _n(value: float) -> str:
    """A coordinate as ``floatformat:'0u'`` writes it: rounded half up to a whole number."""
    return str(floor(value + 0.5))


def _more_label(more: dict, known: dict) -> str:
    """ "+ 12 physicians": worked out once per count and kind in a chart (``known``), ngettext costs ~20 µs."""
    key = (more["count"], more["clinicians"])
    if key not in known:
        count = more["count"]
        if more["clinicians"]:
            text = ngettext("+ %(counter)s physician", "+ %(counter)s physicians", count)
        else:
            text = ngettext("+ %(counter)s role", "+ %(counter)s roles", count)
        known[key] = text % {"counter": count}
    return known[key]


def _stroke(style: dict) -> str:
    dash = f' stroke-dasharray="{_e(style["dash"])}"' if style["dash"] else ""
    return f'stroke="{_e(style["stroke"])}" stroke-width="{_e(style["width"])}"{dash}'


def svg(context: dict) -> SafeString:
    """The picture: the legend, the lines, then a linked box per role (``_org_chart`` gives the context)."""
    width, height = _n(context["svg_width"]), _n(context["svg_height"])
    focus, out = context["focus"], []
    if context.get("standalone"):
        out.append('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="org-chart-svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="system-ui, -apple-system, \'Segoe UI\', Roboto, Arial, '
        f'sans-serif" aria-labelledby="org-chart-svg-title org-chart-svg-desc">\n'
    )
    around = gettext("Around %(title)s") % {"title": _e(focus.title)} + " · " if focus else ""
    out.append(f'<title id="org-chart-svg-title">{around}{_e(gettext("Org chart"))}</title>\n')
    roles = context["role_count"]
    desc = ngettext(
        "%(counter)s role and its reporting lines.", "%(counter)s roles and their reporting lines.", roles
    ) % {"counter": roles}
    if focus or context["collapsed"]:
        shown = context["shown_count"]
        desc += " " + ngettext("%(counter)s of them shown.", "%(counter)s of them shown.", shown) % {"counter": shown}
    out.append(f'<desc id="org-chart-svg-desc">{desc}</desc>\n')
    out.append(f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>\n')
    out.append('<g class="legend" aria-hidden="true" font-size="12" fill="#1c2530">')
    for item in context["legend"]:
        y = item["y"]
        out.append(
            f'\n<line x1="20" y1="{y - 4}" x2="60" y2="{y - 4}" {_stroke(item["style"])}/>\n'
            f'<text x="68" y="{y}">{_e(item["label"])}</text>'
        )
    out.append(f'\n</g>\n<g transform="translate(0 {context["legend_height"]})">\n')
    out.append('<g class="lines" fill="none" aria-hidden="true">')
    for r in context["routes"]:
        route = r["route"]
        out.append(
            f'\n<path d="{_e(route.path)}" {_stroke(r["style"])} stroke-linejoin="round" '
            f'data-kind="{_e(route.edge.kind)}"/>'
        )
    out.append('\n</g>\n<g class="boxes">')
    labels: dict = {}
    for b in context["boxes"]:
        out.append(_box(b, labels))
    out.append("\n</g>\n</g>\n</svg>\n")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped


def _box(b: dict, labels: dict) -> str:
    box, role = b["box"], b["role"]
    title = _e(role.title)
    label = f"{title} ({_e(role.abbreviation)})" if role.abbreviation else title
    cx = _n(box.cx)
    lines = "".join(
        f'<tspan x="{cx}" y="{_n(y)}" font-size="13" font-weight="600">{_e(line)}</tspan>' for line, y in box.text_lines
    )
    if box.node.sublabel:
        sublabel_y = _n(box.sublabel_y)
        lines += f'<tspan x="{cx}" y="{sublabel_y}" font-size="11" fill="#4f5b67">{_e(box.node.sublabel)}</tspan>'
    markup = (
        f'\n<a href="{_e(b["url"])}" class="org-box level-{_e(role.level)}" data-slug="{_e(role.slug)}" '
        f'aria-label="{label}">\n'
        f"<title>{title}</title>\n"
        f'<rect x="{_n(box.x)}" y="{_n(box.y)}" width="{_n(box.width)}" height="{_n(box.height)}" rx="6" '
        f'fill="{_FILLS.get(role.level, "#ffffff")}" stroke="#0b5c8a" stroke-width="{"4" if b["focus"] else "1.5"}"/>\n'
        f'<text text-anchor="middle" fill="#1c2530">{lines}</text>\n</a>'
    )
    more = b["more"]
    if more:
        markup += (
            f'\n<a href="{_e(more["url"])}" class="org-more"><text x="{_n(more["x"])}" y="{_n(more["y"])}" '
            f'text-anchor="{_e(more["anchor"])}" font-size="12" fill="#0b5c8a" text-decoration="underline">'
            f"{_more_label(more, labels)}</text></a>"
        )
    return markup


def tree(items: list[dict]) -> SafeString:
    """The text version: the shown roles as nested lists, with their other lines and hidden reports."""
    focus_here = _e(gettext("Focus here"))
    repeated = _e(gettext("(also listed above with its reports)"))
    out: list[str] = ["<ul>\n"]
    labels: dict = {}

    def item_markup(item: dict) -> None:
        role = item["role"]
        title = _e(role.title)
        current = ' aria-current="true" class="in-focus"' if item["focus"] else ""
        out.append(f'<li><a href="{_e(role.get_absolute_url())}"{current}>{title}</a>')
        if role.abbreviation:
            out.append(f' <span class="abbr">({_e(role.abbreviation)})</span>')
        if not item["focus"]:
            out.append(
                f' <a href="{_e(item["focus_url"])}" class="focus-link no-print">{focus_here}'
                f'<span class="visually-hidden">: {title}</span></a>'
            )
        if item["repeat"]:
            out.append(f' <span class="meta">{repeated}</span>')
        if item["other_lines"]:
            out.append('<ul class="other-lines">')
            for label, other in item["other_lines"]:
                out.append(
                    f'<li><span class="kind">{_e(label)}</span> '
                    f'<a href="{_e(other.get_absolute_url())}">{_e(other.title)}</a></li>'
                )
            out.append("</ul>")
        if item["children"] or item["more"]:
            out.append("<ul>")
            for child in item["children"]:
                item_markup(child)
            if item["more"]:
                more = item["more"]
                out.append(f'<li class="more"><a href="{_e(more["url"])}">{_more_label(more, labels)}</a>\n</li>')
            out.append("</ul>")
        out.append("</li>\n")

    for item in items:
        item_markup(item)
        out.append("\n")
    out.append("</ul>\n")
    return mark_safe("".join(out))  # noqa: S308 - every value above is escaped
