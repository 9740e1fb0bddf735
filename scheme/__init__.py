"""The HKQAA Organisation Recognition Scheme 2022 self-check: the domain, free of any UI.

``load_edition`` reads the scheme edition (data), ``parse_answers`` reads an answers file,
``evaluate`` gives the verdict. See README.md for the command line.
"""

from scheme.answers import Answers, AnswersError, parse_answers, parse_answers_data
from scheme.edition import Edition, EditionError, load_edition
from scheme.engine import evaluate
from scheme.result import Result

__all__ = ["Answers", "AnswersError", "Edition", "EditionError", "Result", "evaluate",
           "load_edition", "parse_answers", "parse_answers_data"]
