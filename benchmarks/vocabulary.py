"""A deterministic vocabulary for synthetic council minutes.

Tens of thousands of distinct words with a Zipf-like spread: English function words at
the top, council words, place names and surnames in the middle, and pseudo-words made
from syllables in the long tail. Everything comes from one seed, so two runs agree.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass


def _split(text: str) -> list[str]:
    return text.split()


FUNCTION_WORDS = _split("""the of and to a in that is was for on it with as be by at this which from or an are
were had has have been not but their its they all would will there also such these more other
who may than into any some should about after before under between within where when what
could can so only over most both each those further upon while during through against because
then however including must being whether same our no them out new up him her his she he we
us very per whose without until each every although since following across both last next
first second third whole many much several least given made make take taken given""")

COUNCIL_WORDS = _split("""council committee board cabinet member members councillor councillors officer
officers report reports recommendation recommendations resolved agreed noted approved
consultation budget budgets funding grant grants housing homes tenants planning application
applications development developments policy policies strategy strategies service services
delivery performance review reviews scrutiny panel meeting meetings minutes agenda item items
decision decisions proposal proposals proposed programme programmes project projects school
schools pupils children families young people adults care social health wellbeing public
transport highways roads traffic parking cycling bus buses route routes library libraries
park parks leisure culture heritage museum museums waste recycling collection collections
environment climate carbon emissions energy efficiency air quality flood flooding drainage
licence licences licensing premises enforcement community communities neighbourhood
neighbourhoods ward wards city centre town district county regeneration economy economic
business businesses employment skills training apprenticeships investment capital revenue
savings pressures overspend underspend forecast forecasts quarter quarterly annual year
years month months period target targets indicator indicators outcome outcomes risk risks
assessment assessments audit audits governance constitution standards complaint complaints
equality equalities diversity inclusion safeguarding partnership partners partnerships
provider providers contract contracts procurement tender commissioning commissioned
residents resident stakeholders voluntary sector charities charity faith groups group
response responses survey surveys engagement feedback evidence data information update
updates progress improvement improvements plan plans framework frameworks action actions
timetable timescales milestone milestones implementation implemented proposals options
option preferred appraisal viability affordable supply demand waiting list allocations
homelessness temporary accommodation repairs maintenance estate estates stock asset assets
property properties land site sites disposal acquisition lease leases rent rents charges
fees income expenditure reserves borrowing treasury pension pensions workforce staff
staffing vacancies recruitment retention sickness absence pay grading restructure
restructuring transformation digital technology systems website online access accessible
customer customers satisfaction demand pressures winter discharge hospital hospitals
clinical commissioning integrated mental dementia carers disability disabilities learning
special educational needs attainment exclusions attendance ofsted inspection inspections
rating judgement judgements academy academies nursery nurseries early years transition
youth offending police crime antisocial behaviour safety fire rescue emergency resilience
events festival festivals sport sports pitches pool pools allotments cemetery cemeteries
bereavement registrars elections electoral register boundary boundaries scheme schemes
bid bids award awarded tranche phase phases pilot pilots evaluation evaluated baseline
benchmark benchmarking comparison comparators regional national government department
ministry secretary state guidance statutory duty duties legislation act regulations order
orders appeal appeals inspector examination adoption adopted draft final revised interim
members asked officers confirmed chair thanked welcomed explained highlighted questioned
queried raised concerns concern clarified responded undertook circulate circulated provide
provided briefing note notes paper papers appendix appendices table figures figure percent
increase increased decrease decreased reduction reduced growth growing falling rising
significant significantly considerable modest substantial overall detailed initial
additional ongoing existing current previous future local wider key main specific general
particular appropriate relevant necessary important effective efficient sustainable
resilient inclusive fair safe healthy green vibrant thriving""")

ONSETS = _split(
    "b bl br c ch cl cr d dr f fl fr g gl gr h j k l m n p pl pr qu r s sc sh sk sl sm sn sp st str "
    "sw t th tr tw v w wh y z"
) + [""]
NUCLEI = _split("a e i o u ai ea ee oa ou ie y")
CODAS = ["", "", "n", "r", "s", "t", "l", "m", "nd", "nt", "st", "rk", "ng", "ck", "sh", "th", "ll", "ss"]
SUFFIXES = ["", "", "", "ation", "ment", "ness", "ing", "ed", "er", "ly", "al", "ive", "ity", "ist", "ous"]
PLACE_ENDINGS = _split(
    "ford ton ley bury field wick ham borough combe stead thorpe by worth well bridge minster "
    "hurst cott den ridge mere gate moor dale"
)
SURNAME_ENDINGS = ["son", "ley", "ton", "well", "wood", "er", "man", "ford", "field", "s", "ings", "by"]
COMMON_SURNAMES = _split("""Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson
Evans Walker White Roberts Green Hall Wood Jackson Clarke Patel Khan Lewis James Phillips Mason
Mitchell Rose Davis Rodriguez Cox Alexander Morgan Moore Murphy Kaur Singh Ali Hussain Ahmed
Begum Okafor Adeyemi Nowak Kowalski Murray Kelly Campbell Stewart Anderson Scott Reid Ross
Hughes Edwards Price Lloyd Owen Baker Turner Hill Cooper Ward Harris Martin King Lee Clark
Allen Young Shaw Mills Palmer Bennett Carter Gray Holmes Hunt Marshall Fox Berry Lane Kent""")
INITIALS = "ABCDEFGHJKLMNPRSTVW"
TABLE_SIZE = 1_000_000


def _syllable(rng: random.Random) -> str:
    return rng.choice(ONSETS) + rng.choice(NUCLEI) + rng.choice(CODAS)


def _pseudo_word(rng: random.Random) -> str:
    parts = rng.choice((1, 2, 2, 2, 3))
    return "".join(_syllable(rng) for _ in range(parts)) + rng.choice(SUFFIXES)


def _unique(make, count: int, taken: set[str], minimum: int = 3) -> list[str]:
    found: list[str] = []
    while len(found) < count:
        word = make()
        if len(word) >= minimum and word.lower() not in taken:
            taken.add(word.lower())
            found.append(word)
    return found


@dataclass
class Vocabulary:
    """Words in rank order with their cumulative Zipf weights, plus names and places."""

    words: list[str]
    cum_weights: list[float]
    places: list[str]
    surnames: list[str]
    #: Each word repeated in proportion to its weight (at least once): uniform draws from
    #: this table follow the Zipf spread, several times faster than weighted choices.
    table: list[str]

    def sample(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.table, k=count)


def make_vocabulary(seed: int, size: int = 60_000, exponent: float = 1.0) -> Vocabulary:
    rng = random.Random(f"vocabulary/{seed}")
    taken = {w.lower() for w in FUNCTION_WORDS + COUNCIL_WORDS + COMMON_SURNAMES}
    places = _unique(
        lambda: (_syllable(rng) + rng.choice(PLACE_ENDINGS)).capitalize(), 2_000, taken, minimum=5
    )
    surnames = COMMON_SURNAMES + _unique(
        lambda: (_syllable(rng) + rng.choice(SURNAME_ENDINGS)).capitalize(), 1_500, taken, minimum=5
    )
    function = list(dict.fromkeys(FUNCTION_WORDS))
    council = list(dict.fromkeys(COUNCIL_WORDS))
    rng.shuffle(council)
    pseudo_count = max(0, size - len(function) - len(council) - len(places) - len(surnames))
    pseudo = _unique(lambda: _pseudo_word(rng), pseudo_count, taken)
    # Council words lead the content words; names, places and the long tail of pseudo-words
    # are mixed so that every part of the spread holds some of each.
    tail = places + surnames + pseudo
    rng.shuffle(tail)
    words = function + council[: len(council) // 2] + tail[:2000] + council[len(council) // 2 :] + tail[2000:]
    weights = [1.0 / (rank**exponent) for rank in range(1, len(words) + 1)]
    cum = list(itertools.accumulate(weights))
    scale = TABLE_SIZE / cum[-1]
    table = [
        word
        for word, weight in zip(words, weights, strict=True)
        for _ in range(max(1, round(weight * scale)))
    ]
    return Vocabulary(words, cum, places, surnames, table)
