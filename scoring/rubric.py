"""Weights and HSEEP ratings (SPEC section 7); a rubric file may override both."""

from __future__ import annotations

from simulator.model import Rubric

DEFAULT = Rubric()

RATING_WORDS = {
    "P": "performed without challenges",
    "S": "performed with some challenges",
    "M": "performed with major challenges",
    "U": "unable to be performed",
}


def rating(score: float, rubric: Rubric = DEFAULT) -> str:
    """HSEEP rating of a 0-100 score."""
    for letter in ("P", "S", "M"):
        if score >= rubric.ratings[letter]:
            return letter
    return "U"


def overall(scores: dict[str, float], rubric: Rubric = DEFAULT) -> float:
    """Weighted mean of the category scores present; absent categories' weights are rescaled away."""
    weights = {c: rubric.weights.get(c, 0.0) for c in scores}
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    return sum(scores[c] * w for c, w in weights.items()) / total
