"""The verdict as readable text for a terminal (``python -m scheme explain``)."""

from __future__ import annotations

from scheme.answers import Answers
from scheme.edition import load_edition
from scheme.i18n import pick, t
from scheme.render import date_words
from scheme.result import Result, by_date

_MARK = {"eligible": "[✓]", "conditional": "[?]", "not_eligible": "[✗]"}


def explain(answers: Answers, result: Result, lang: str = "zh") -> str:
    edition = load_edition(result.scheme)
    lines: list[str] = []
    name = answers.organisation.name
    lines.append(f"{pick(edition.name.zh, edition.name.en, lang)} — {name}")
    lines.append(f"{t('explain_as_of', lang)}: {result.as_of.isoformat()}  "
                 f"({t('window_' + result.window, lang)})")
    lines.append("")
    if result.window == "closed":  # said first (interpretation 10)
        lines.append("!! " + t("closed_round", lang, year=edition.year,
                               deadline=date_words(edition.window_closes, lang)))
        lines.append("")
    closed = result.window == "closed"
    for programme in edition.programmes:
        lines.append(f"== {pick(programme.name.zh, programme.name.en, lang)} ==")
        for award in edition.awards_of(programme.id):
            res = result.award(award.id)
            rec = t("ui_rec_closed" if closed else "recommended" if res.recommended
                    else "not_recommended", lang)
            lines.append(f"{_MARK[res.status]} {pick(award.name.zh, award.name.en, lang)}: "
                         f"{t('status_' + res.status, lang)} · {rec}")
            titles = res.titles_en if lang == "en" else [pick(x, x, lang) for x in res.titles_zh]
            if titles and closed:  # what it would have applied under: not a recommendation (★)
                lines.append(f"      {t('ui_results_titles_lookback', lang)}:")
            for title in titles:
                lines.append(f"      {'☆' if closed else '★'} {title}")
            if res.applications:
                lines.append(f"      {t('explain_applications', lang)}: {res.applications}")
            for path in res.missing:
                lines.append(f"      ? {t('question_' + path.replace('.', '_'), lang)}")
            for reason in res.reasons:
                lines.append(f"      - {reason}")
            for action in [] if closed else by_date(res.actions):  # as the Results page lists them
                due = action.due.isoformat() if action.due else t("explain_no_date", lang)
                lines.append(f"      → {action.text} ({due})")
        lines.append("")
    forms = ", ".join(result.forms) or "-"
    lines.append(f"{t('explain_forms', lang)}: {forms}")
    lines.append(f"{t('explain_applications_total', lang)}: {result.applications_total}")
    lines.append("")
    lines.append(f"{t('explain_dates', lang)}:")
    for m in result.milestones:
        lines.append(f"  {m.date.isoformat()}  {pick(m.label_zh, m.label_en, lang)}")
    lines.append("")
    lines.append(t("self_check_note", lang))
    return "\n".join(lines) + "\n"
