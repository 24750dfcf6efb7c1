"""The duplicate warning's recall and precision on a labelled set of French name variants (the
bench reports them on a larger set: `python -m bench --measures matching`)."""

import datetime

from bench.matching import Pair, evaluate, variant_pairs, warns


def test_the_warning_finds_95_percent_of_variants_with_90_percent_precision():
    scores = evaluate(variant_pairs(400, seed=7))
    assert scores.recall >= 0.95, scores.misses
    assert scores.precision >= 0.90, scores.false_alarms


def test_the_set_holds_as_many_true_as_false_pairs_of_every_kind():
    pairs = variant_pairs(400, seed=7)
    assert sum(pair.same for pair in pairs) == 200
    kinds = {pair.kind.split(" + ")[0] for pair in pairs}
    assert {"faute de frappe", "prénom et nom inversés", "tiret, espace, particule", "jumeau ou jumelle"} <= kinds


def test_the_issue_example_is_warned_and_its_counterexample_is_not():
    born = datetime.date(2012, 5, 9)
    assert warns(Pair(("Moucheval", "Lucas", born), ("Mouchevalle", "Lucas", born), True, "exemple"))
    other = datetime.date(2009, 2, 14)
    assert not warns(Pair(("Moucheval", "Lucas", born), ("Mouchevalle", "Luca", other), False, "exemple"))
