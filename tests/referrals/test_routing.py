"""Routing: which schemes fit a situation, and why."""

import datetime

from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casework.models import Territory
from referrals.models import Scheme
from referrals.routing import EXCLUDED, MET, UNKNOWN, scheme_routing
from tests.factories import make_scheme, make_situation

TODAY = datetime.date(2026, 11, 23)
MOTIF_CODES = ["absenteisme-scolaire", "decrochage-scolaire", "neet", "fugue-errance", "conflit-familial"]
TERRITORY_CODES = ["bourg", "mitterie", "marais", "delivrance", "sarts-vauban"]


def catalogue(operator):
    """Schemes with every kind of criterion: open, age-bounded on one or both sides, local, specialised."""
    return [
        make_scheme(operator, "Ouvert à tous"),
        make_scheme(operator, "PRE", min_age=2, max_age=16, motifs=("absenteisme-scolaire", "decrochage-scolaire")),
        make_scheme(operator, "CEJ", min_age=16, max_age=25, motifs=("neet",)),
        make_scheme(operator, "Majeurs", min_age=18),
        make_scheme(operator, "Jeunes enfants", max_age=11),
        make_scheme(operator, "Quartiers nord", territories=("bourg", "marais")),
        make_scheme(operator, "MDA Sarts", min_age=11, max_age=21, territories=("sarts-vauban",)),
    ]


situations = st.fixed_dictionaries(
    {
        "anonymous": st.booleans(),
        "birth_date": st.dates(min_value=datetime.date(1996, 1, 1), max_value=datetime.date(2024, 12, 31)),
        "territory": st.none() | st.sampled_from(TERRITORY_CODES),
        "motifs": st.lists(st.sampled_from(MOTIF_CODES), min_size=1, max_size=3, unique=True),
    }
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=situations)
def test_no_scheme_whose_hard_criteria_exclude_is_ever_marked_eligible(alice, mission_locale, case):
    # Examples share the test's database: the catalogue is built once.
    if not Scheme.objects.exists():
        catalogue(mission_locale)
    territory = Territory.objects.filter(code=case["territory"]).first()
    situation = make_situation(
        alice,
        anonymous=case["anonymous"],
        motifs=case["motifs"],
        birth_date=case["birth_date"],
        territory_id=territory.pk if territory else None,
    )
    age = None if case["anonymous"] else relativedelta(TODAY, case["birth_date"]).years
    known_territory = None if case["anonymous"] else territory

    fits = scheme_routing(situation, today=TODAY)

    for fit in fits:
        scheme = fit.scheme
        too_young = age is not None and scheme.min_age is not None and age < scheme.min_age
        too_old = age is not None and scheme.max_age is not None and age > scheme.max_age
        served = set(scheme.territories.values_list("pk", flat=True))
        outside = known_territory is not None and served and known_territory.pk not in served
        assert fit.eligible == (not (too_young or too_old or outside)), (scheme.name, age, known_territory)
        assert (fit.criteria[0].outcome == UNKNOWN) == (
            age is None and (scheme.min_age, scheme.max_age) != (None, None)
        )
    eligible = [fit.eligible for fit in fits]
    assert eligible == sorted(eligible, reverse=True), "eligible schemes come first"


def test_a_scheme_serving_the_situations_motifs_ranks_first(alice, mission_locale):
    catalogue(mission_locale)
    situation = make_situation(alice, motifs=("absenteisme-scolaire", "decrochage-scolaire"))
    names = [fit.scheme.name for fit in scheme_routing(situation, today=TODAY)]
    assert names[0] == "PRE"


def test_each_criterion_gives_its_reason(alice, mission_locale):
    make_scheme(mission_locale, "MDA Sarts", min_age=11, max_age=21, territories=("sarts-vauban",), motifs=("neet",))
    bourg = Territory.objects.get(code="bourg")
    situation = make_situation(alice, birth_date=datetime.date(2011, 3, 4), territory_id=bourg.pk)
    (fit,) = scheme_routing(situation, today=TODAY)
    assert [(c.outcome, c.text) for c in fit.criteria] == [
        (MET, "15 ans : dans la tranche de 11 à 21 ans"),
        (EXCLUDED, "Quartier Bourg non couvert (Les Sarts (Vauban))"),
        ("soft_miss", "Aucun motif de la situation n'est pris en charge (Sans emploi ni formation (NEET))"),
    ]
    assert not fit.eligible


def test_an_anonymous_situation_has_no_age_and_no_quartier(alice, mission_locale):
    make_scheme(mission_locale, "MDA Sarts", min_age=11, max_age=21, territories=("sarts-vauban",))
    situation = make_situation(alice, anonymous=True)
    (fit,) = scheme_routing(situation, today=TODAY)
    assert fit.criteria[0].text == "Situation anonyme : âge inconnu, tranche de 11 à 21 ans à vérifier"
    assert fit.criteria[1].text == "Situation anonyme : quartier inconnu, à vérifier (Les Sarts (Vauban))"
    assert fit.eligible


def test_age_counts_the_birthday(alice, mission_locale):
    make_scheme(mission_locale, "CEJ", min_age=16, max_age=25)
    day_before = make_situation(alice, birth_date=datetime.date(2010, 11, 24))
    on_the_day = make_situation(alice, birth_date=datetime.date(2010, 11, 23), last_name="Autre")
    assert not scheme_routing(day_before, today=TODAY)[0].eligible
    assert scheme_routing(on_the_day, today=TODAY)[0].eligible


def test_motifs_come_from_the_situation(alice, mission_locale):
    make_scheme(mission_locale, "CEJ", motifs=("neet",))
    situation = make_situation(alice, motifs=("neet",))
    assert (
        scheme_routing(situation, today=TODAY)[0].criteria[2].text
        == "Motifs en commun : Sans emploi ni formation (NEET)"
    )
