"""The edition file: it loads, a broken one fails with the path of the bad entry, and the
brochure's own award-title examples come out of the engine word for word."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from scheme import evaluate, load_edition, parse_answers_data
from scheme.edition import EDITIONS_DIR, EditionError, available_editions, parse_edition

RAW = yaml.safe_load((EDITIONS_DIR / "hkqaa-ors-2022.yaml").read_text(encoding="utf-8"))

# An organisation shaped like the brochure's examples (私人屋苑物業管理, 2021/22年度, 卓越創新, …).
BROCHURE_EXAMPLE = {
    "format": "hkqaa-ors-answers", "version": 1, "scheme": "hkqaa-ors-2022",
    "organisation": {"name": "例子機構", "sector": "私人屋苑物業管理", "premises": 1},
    "hygiene_certification": "certified",
    "carbon": {"certificate_status": "pilot", "certificate_type": "achieved",
               "strengths": ["max_reduction"], "period": "2021/22年度"},
    "esg": {"sr_index": "pioneer", "sustainability_rating_2021": "none",
            "sdg_categories": ["clean_water_sanitation"]},
    "resilience": {"categories": ["innovation"]},
    "nominees": {"resilience_leader": True, "resilience_frontline": True, "carbon_leader": True,
                 "esg_leader": True},
    "climate_risk_disclosure": True,
    "commitments": {"training": True, "leader_video": True, "publication_sharing": True},
}


def test_the_2022_edition_loads_with_thirteen_awards_in_three_programmes():
    edition = load_edition()
    assert edition.id in available_editions()
    assert [p.id for p in edition.programmes] == ["resilience", "carbon", "esg"]
    assert len(edition.awards) == 13
    assert all(edition.awards_of(p.id) for p in edition.programmes)


def test_the_brochures_five_title_examples_are_reproduced():
    edition = load_edition()
    examples = {a.id: a.title_example_zh for a in edition.awards if a.title_example_zh}
    assert len(examples) == 5
    result = evaluate(parse_answers_data(BROCHURE_EXAMPLE), dt.date(2022, 5, 20))
    for award_id, example in examples.items():
        assert example in result.award(award_id).titles_zh, (award_id, result.award(award_id).titles_zh)


def test_a_sector_or_period_of_spaces_gives_titles_without_empty_brackets():
    """A sector or carbon period typed as spaces only is no answer: titled as if left empty,
    never "大獎 (  )"; one with spaces around it is titled without them."""
    def titles(sector, period):
        data = {**BROCHURE_EXAMPLE, "organisation": {**BROCHURE_EXAMPLE["organisation"], "sector": sector},
                "carbon": {**BROCHURE_EXAMPLE["carbon"], "period": period}}
        result = evaluate(parse_answers_data(data), dt.date(2022, 5, 20))
        return [x for a in result.recommended for x in a.titles_zh + a.titles_en]

    blank, none = titles("   ", " "), titles(None, None)
    assert blank == none and not any("( )" in x or "(  )" in x or "(   )" in x for x in blank)
    assert titles("  私人屋苑物業管理 ", "2021/22年度") == titles("私人屋苑物業管理", "2021/22年度")


def test_training_exemptions_match_the_awards_that_do_not_require_it():
    edition = load_edition()
    training = edition.commitment("training")
    for award_id in training.exempt_awards:
        assert "training" not in edition.award(award_id).commitments


def _broken(mutate) -> str:
    data = yaml.safe_load(yaml.safe_dump(RAW, allow_unicode=True))
    mutate(data)
    with pytest.raises(EditionError) as err:
        parse_edition(data, "broken.yaml")
    return str(err.value)


@pytest.mark.parametrize(("mutate", "path"), [
    (lambda d: d["awards"][0]["conditions"].append("hygine"), "awards[0].conditions[2]"),
    (lambda d: d["awards"][1].update(form="F"), "awards[1].form"),
    (lambda d: d["awards"][2].update(depends_on="resilience.managment"), "awards[2].depends_on"),
    (lambda d: d["milestones"][1].update(date="2022-06-31"), "milestones[1].date"),
    (lambda d: d["milestones"][0].pop("label"), "milestones[0].label"),
    (lambda d: d["conditions"][0].update(field="hygiene"), "conditions[0].field"),
    (lambda d: d["conditions"][0]["routes"]["equivalent_measures"]["due"].update(milestone="x"),
     "conditions[0]"),
    (lambda d: d["category_sets"][2]["categories"][0].update(group="achieve"),
     "category_sets[2].categories[0].group"),
    (lambda d: d["category_sets"][0]["categories"].append(d["category_sets"][0]["categories"][0]),
     "category_sets[0].categories[8].id"),
    (lambda d: d["category_sets"][2]["groups"].append({"id": "empty", "name": {"zh": "空", "en": "Empty"}}),
     "category_sets[2].groups[3]"),
    (lambda d: d["awards"][4].update(colour="red"), "awards[4].colour"),
    (lambda d: d["forms"].append(d["forms"][0]), "forms[5].id"),
    (lambda d: d["commitments"][2].update(exempt_awards=["carbon.pionner"]), "commitments[2].exempt_awards[0]"),
])
def test_a_broken_edition_fails_with_the_path_of_the_bad_entry(mutate, path):
    message = _broken(mutate)
    assert path in message, message


def test_an_unknown_edition_is_refused():
    with pytest.raises(EditionError, match="unknown scheme edition"):
        load_edition("hkqaa-ors-1999")


def _quotes(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("source", "exempt_source", "per_category_note") and isinstance(value, dict):
                yield value
            elif key == "commitments" and isinstance(value, dict):
                yield from (q for q in value.values() if isinstance(q, dict))
            else:
                yield from _quotes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _quotes(value)


def test_every_brochure_quote_has_an_english_rendering_and_joined_quotes_are_lists():
    quotes = list(_quotes(RAW))
    assert len(quotes) > 30
    for quote in quotes:
        assert quote["en"].strip(), quote
        pieces = quote["zh"] if isinstance(quote["zh"], list) else [quote["zh"]]
        assert all(p.strip() and "…" not in p for p in pieces), quote  # a join is shown, never typed


def test_english_readers_see_the_chinese_quote_and_the_projects_translation():
    result = evaluate(parse_answers_data(BROCHURE_EXAMPLE), dt.date(2022, 5, 20), "en")
    reason = next(r for r in result.award("resilience.gold_medal").reasons if "Certification" in r)
    assert "「" in reason and "this tool's translation" in reason
    assert "Anti-Epidemic Hygiene Measures Certification" in reason  # the official English name


def test_simplified_chinese_readers_are_told_the_quote_is_converted():
    """The brochure is in Traditional Chinese: a quote shown in Simplified characters is a
    conversion, not the brochure's own words, and says so."""
    answers = parse_answers_data(BROCHURE_EXAMPLE)
    hans = evaluate(answers, dt.date(2022, 5, 20), "zh-hans").award("resilience.gold_medal").reasons
    quoted = [r for r in hans if "〔" in r]
    assert quoted and all("由繁体原文转换" in r for r in quoted)
    zh = evaluate(answers, dt.date(2022, 5, 20), "zh").award("resilience.gold_medal").reasons
    assert not any("轉換" in r for r in zh)


def test_award_commitment_quotes_name_the_awards_own_programme():
    edition = load_edition()
    assert "抗逆貢獻" in edition.award("resilience.management").commitments["leader_video"].text_zh
    assert "碳中和貢獻" in edition.award("carbon.management").commitments["leader_video"].text_zh
    assert "ESG貢獻" in edition.award("esg.pioneer").commitments["leader_video"].text_zh
