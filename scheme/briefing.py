"""What the presenter view shows, built from the edition file alone (a new edition redraws it).

- :func:`entry_graph`: the entry conditions leading to the awards as a Graphviz DOT source;
- :func:`award_matrix`: the thirteen awards, one row each: who applies, entry conditions,
  declaration form, commitments, benefits and categories;
- :func:`join_url`: the app's public address with the language preset, for the QR code.
Nothing here is written by hand that the edition holds; the words around it come from the
message catalogue.
"""

from __future__ import annotations

import itertools
import math
import re
import urllib.parse
from dataclasses import dataclass

from scheme.edition import Condition, Edition, load_edition
from scheme.i18n import LANGS, and_list, pick, t

PROGRAMME_COLOURS = {"resilience": "#E3F0FA", "carbon": "#E6F4EA", "esg": "#FFF4E0"}


def _dot(text: str) -> str:
    """Text as a DOT double-quoted string (quotes, backslashes and line breaks escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _units(text: str) -> list[str]:
    """Chinese text cut where a line may end: a run of Latin letters or digits stays whole
    ("ESG", "2021"), and a run of Chinese characters is cut into twos counted from its end,
    as the scheme's names are built of two-character words: 傑出|ESG|先導|管理|大獎,
    社會|責任|先導|指數 (cutting every eight characters gave 傑出ESG先導管 / 理大獎)."""
    units: list[str] = []
    for run in re.findall(r"[A-Za-z0-9.+\-]+|[\u3400-\u9fff\uf900-\ufaff]+|.", text):
        if _IDEOGRAPH.match(run):
            head = len(run) % 2
            units += ([run[:head]] if head else []) + [run[i:i + 2] for i in range(head, len(run), 2)]
        elif len(run) == 1 and not run.isalnum() and units:
            units[-1] += run  # punctuation ("/", "、") stays with what it follows
        else:
            units.append(run)
    return units


_IDEOGRAPH = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def _wrap(text: str, width: int) -> str:
    """Break a label into lines of about ``width`` characters (CJK text has no spaces: it
    breaks between its words, see ``_units``)."""
    if " " not in text:
        units = _units(text)

        def size(part: list[str]) -> float:  # a Latin letter is half as wide as a Chinese one
            return sum(len(u) / 2 if u.isascii() else len(u) for u in part)

        count = max(1, math.ceil(size(units) / width))
        if count == 1 or len(units) <= count:
            return "\n".join(units) if count > 1 else text
        # the fewest lines of at most about ``width``, as even as they can be
        best = min(itertools.combinations(range(1, len(units)), count - 1),
                   key=lambda cuts: max(size(units[a:b]) for a, b in
                                        zip((0, *cuts), (*cuts, len(units)), strict=True)))
        return "\n".join("".join(units[a:b])
                          for a, b in zip((0, *best), (*best, len(units)), strict=True))
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])


def condition_label(cond: Condition, lang: str) -> str:
    label = pick(cond.question.zh, cond.question.en, lang)
    if cond.kind in ("grade_at_least", "count_at_least"):
        label += f" ≥ {cond.at_least}"
    return label


def or_equivalent(cond: Condition, lang: str) -> str:
    """"(or equivalent)" where the brochure accepts an equivalent (equivalent measures or
    requirements, other third-party documents); nothing where a route only leaves a step for
    later (a climate-risk disclosure not yet ready)."""
    if any(route.equivalent for route in cond.routes.values()):
        return t("brief_condition_or_equivalent", lang)
    return ""


def entry_graph(lang: str = "zh", edition: Edition | None = None, programme: str | None = None) -> str:
    """The DOT source of the graph: entry conditions (boxes) → awards (grouped by programme);
    nominations → the nominee awards; an award that another depends on → that award (dashed).
    With ``programme``, only that programme's awards and what leads to them."""
    edition = edition or load_edition()
    width = 20 if lang == "en" else 8
    awards = [a for a in edition.awards if programme is None or a.programme == programme]
    tiers = [a.id for a in edition.awards if a.tier is not None]
    edges: list[tuple[str, str, str]] = []
    for award in awards:
        target = "a:" + award.id
        edges += [("c:" + c, target, "") for c in award.conditions]
        if award.nomination:
            edges.append(("n:" + award.nomination, target, ""))
        parents = tiers if award.depends_on == "best_tier" else (
            [award.depends_on] if award.depends_on else [])
        edges += [("a:" + p, target, " [style=dashed]") for p in [*parents, *award.requires_all]]
    used = {e[0] for e in edges} | {"a:" + a.id for a in awards}
    out = ["digraph entry {", "  rankdir=TB; nodesep=0.2; ranksep=0.45;", "  bgcolor=\"transparent\";",
           "  node [fontname=\"Noto Sans CJK TC, sans-serif\", fontsize=20, margin=\"0.2,0.08\"];",
           "  edge [color=\"#5A6B7B\", penwidth=1.5];"]
    for cond in edition.conditions:
        if "c:" + cond.id in used:
            box = _wrap(condition_label(cond, lang), width)
            if or_equivalent(cond, lang):  # a line of its own, not cut inside its brackets
                box += "\n" + or_equivalent(cond, lang).strip()
            out.append(f"  {_dot('c:' + cond.id)} [shape=box, style=\"rounded,filled\", "
                       f"fillcolor=\"#FFFFFF\", label={_dot(box)}];")
    for nom in edition.nominations:
        if "n:" + nom.id in used:
            label = t("brief_graph_nominate", lang, who=pick(nom.name.zh, nom.name.en, lang))
            out.append(f"  {_dot('n:' + nom.id)} [shape=box, style=\"rounded,dashed\", "
                       f"label={_dot(_wrap(label, width))}];")
    for prog in edition.programmes:
        members = [a for a in edition.awards_of(prog.id) if "a:" + a.id in used]
        if not members:
            continue
        out.append(f"  subgraph {_dot('cluster_' + prog.id)} {{")
        out.append(f"    label={_dot(pick(prog.name.zh, prog.name.en, lang))}; "
                   f"style=filled; color={_dot(PROGRAMME_COLOURS.get(prog.id, '#F2F6FA'))}; "
                   "fontsize=24;")
        for award in members:
            out.append(f"    {_dot('a:' + award.id)} [shape=ellipse, style=filled, fillcolor=\"#FFFFFF\", "
                       f"label={_dot(_wrap(pick(award.name.zh, award.name.en, lang), width))}];")
        out.append("  }")
    out += [f"  {_dot(a)} -> {_dot(b)}{style};" for a, b, style in edges]
    out.append("}")
    return "\n".join(out) + "\n"


@dataclass(frozen=True)
class MatrixRow:
    award_id: str
    programme: str
    award: str
    applies_per: str
    conditions: list[str]
    form: str
    commitments: list[str]
    benefits: list[str]
    categories: list[str]


def award_matrix(lang: str = "zh", edition: Edition | None = None) -> list[MatrixRow]:
    """The thirteen awards in the brochure's order, each with what the edition says of it."""
    edition = edition or load_edition()
    conditions = {c.id: c for c in edition.conditions}
    names = {a.id: pick(a.name.zh, a.name.en, lang) for a in edition.awards}
    rows = []
    for award in edition.awards:
        programme = next(p for p in edition.programmes if p.id == award.programme)
        entry = [condition_label(conditions[c], lang) + or_equivalent(conditions[c], lang)
                 for c in award.conditions]
        if award.nomination:
            nom = next(n for n in edition.nominations if n.id == award.nomination)
            entry.append(t("brief_graph_nominate", lang, who=pick(nom.name.zh, nom.name.en, lang)))
        if award.depends_on == "best_tier":
            entry.append(t("brief_matrix_best_tier", lang))
        elif award.depends_on:
            entry.append(t("brief_matrix_depends", lang, award=names[award.depends_on]))
        if award.requires_all:
            entry.append(t("brief_matrix_requires_all", lang,
                           awards=and_list((names[a] for a in award.requires_all), lang)))
        form = edition.form(award.form) if award.form else None
        categories: list[str] = []
        if award.categories is not None:
            cats = edition.category_set(award.categories.set).categories
            if award.categories.fixed:
                cats = tuple(c for c in cats if c.id in award.categories.fixed)
            categories = [pick(c.zh, c.en, lang) for c in cats]
        rows.append(MatrixRow(
            award_id=award.id, programme=pick(programme.name.zh, programme.name.en, lang),
            award=names[award.id], applies_per=t("brief_applies_" + award.applies_per, lang),
            conditions=entry,
            form=f"{form.id} · {pick(form.name.zh, form.name.en, lang)}" if form else "—",
            commitments=[pick(edition.commitment(c).name.zh, edition.commitment(c).name.en, lang)
                         for c in award.commitments],
            benefits=[pick(edition.benefit(b).zh, edition.benefit(b).en, lang) for b in award.benefits],
            categories=categories))
    return rows


def join_url(base: str, lang: str) -> str:
    """The address to open on a phone: ``base`` with ``?lang=…`` (replacing any given)."""
    if lang not in LANGS:
        raise ValueError(lang)
    parts = urllib.parse.urlsplit(base.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"not a web address: {base!r}")
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query) if k != "lang"]
    query.append(("lang", lang))
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path or "/",
                                    urllib.parse.urlencode(query), ""))


def qr_svg(url: str) -> str:
    """The QR code of ``url`` as SVG text (dark on white, with its quiet zone)."""
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="svg", scale=12, border=4, dark="#000000",
                                     light="#FFFFFF", xmldecl=False, svgns=True)
    return buffer.getvalue().decode("utf-8")


def qr_png(url: str, scale: int = 12) -> bytes:
    import io

    import segno

    buffer = io.BytesIO()
    segno.make(url, error="m").save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
