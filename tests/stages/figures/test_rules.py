from __future__ import annotations

import pytest

from eventledger.models import Claim, Speaker, When
from eventledger.pipeline import Mention
from eventledger.stages.figures import FigureRules, parse_count


@pytest.fixture(scope="module")
def rules(settings):
    return FigureRules(settings)


@pytest.fixture(scope="module")
def figures_of(rules, make_doc):
    def run(text, claims=(), dates=()):
        doc = make_doc(text)
        doc.claims.extend(claims)
        doc.dates.extend(dates)
        return rules(doc)

    return run


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("12", (12, 12, False, 12)),
        ("14,000", (14000, 14000, False, 14000)),
        ("twenty-five", (25, 25, False, 25)),
        ("three hundred", (300, 300, False, 300)),
        ("a dozen", (12, 12, False, 12)),
        ("between 20 and 30", (20, 30, False, 20)),
        ("20 to 30", (20, 30, False, 20)),
        ("20-30", (20, 30, False, 20)),
        ("at least 12", (12, None, False, 12)),
        ("more than 14,000", (14001, None, True, 14000)),
        ("up to 50", (0, 50, True, None)),
        ("nearly 100", (None, 99, True, 99)),
        ("almost 100", (None, 99, True, 99)),
        ("about 40", (40, 40, True, 40)),
        ("some 40", (40, 40, True, 40)),
        ("several", (3, 10, True, 10)),
        ("dozens", (24, 99, True, 12)),
        ("hundreds", (200, 999, True, 100)),
        ("tens of thousands", (20000, 99999, True, 10000)),
    ],
)
def test_parse_count_forms(phrase, expected):
    c = parse_count(phrase)
    assert c is not None
    assert (c.min, c.max, c.approximate, c.best) == expected


@pytest.mark.parametrize("phrase", ["five-two", "Monday", "the hospital"])
def test_parse_count_rejects_non_numbers(phrase):
    assert parse_count(phrase) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # (figure text, kind, group, min, max)
        (
            "Gunmen abducted three health workers.",
            [("three health workers", "hostages", "health_workers", 3, 3)],
        ),
        ("12 people were killed in the raid.", [("12 people", "killed", None, 12, 12)]),
        (
            "Twenty-five patients were trapped inside the hospital.",
            [("Twenty-five patients", "trapped", "patients", 25, 25)],
        ),
        (
            "Between 20 and 30 civilians were wounded.",
            [("Between 20 and 30 civilians", "injured", "civilians", 20, 30)],
        ),
        (
            "The army attacked the town, killing at least 12 people.",
            [("at least 12 people", "killed", None, 12, None)],
        ),
        (
            "Hundreds of patients were trapped inside.",
            [("Hundreds of patients", "trapped", "patients", 200, 999)],
        ),
        ("A dozen soldiers were killed.", [("A dozen soldiers", "killed", "fighters", 12, 12)]),
        (
            "Several medics were detained.",
            [("Several medics", "detained", "health_workers", 3, 10)],
        ),
        ("Thousands were forced from their homes.", [("Thousands", "displaced", None, 2000, 9999)]),
        ("The raid left 12 dead.", [("12", "killed", None, 12, 12)]),
        (
            "Three doctors were taken hostage.",
            [("Three doctors", "hostages", "health_workers", 3, 3)],
        ),
        (
            "Nearly 100 patients were missing.",
            [("Nearly 100 patients", "missing", "patients", None, 99)],
        ),
        (
            "A quarter of the population has been displaced.",
            [("A quarter of the population", "displaced", "population_share", 0.25, 0.25)],
        ),
        (
            "A shell killed two nurses and wounded four others.",
            [
                ("two nurses", "killed", "health_workers", 2, 2),
                ("four others", "injured", "health_workers", 4, 4),
            ],
        ),
        (
            "An airstrike killed at least 12 people, five of them children, the ministry said.",
            [
                ("at least 12 people", "killed", None, 12, None),
                ("five of them children", "killed", "children", 5, 5),
            ],
        ),
    ],
)
def test_figures_kind_group_and_bounds(figures_of, text, expected):
    doc = figures_of(text)
    got = [(f.text, f.kind, f.group, f.min, f.max) for f in doc.figures]
    assert got == expected
    for f in doc.figures:
        ev = f.evidence[0]
        assert ev.text == text[ev.start : ev.end] == f.text


@pytest.mark.parametrize(
    "text",
    [
        "The victims were aged 12 and 14.",
        "In 2019, the clinic was robbed.",
        "On March 12 the hospital closed.",
        "The strike came at 10 pm.",
        "Damage was put at $5 million.",
        "Prices rose 12% in a week.",
        "Brigade 17 entered the town.",
        "The hospital, which has 200 beds, was hit.",
        "He came first in the 3rd round.",
        "No one was hurt.",
    ],
)
def test_figures_skip_numbers_that_are_not_counts_of_people(figures_of, text):
    assert figures_of(text).figures == []


@pytest.mark.parametrize(
    "text",
    [
        # Found by benchmarks/fuzz.py and tests/pipeline/test_fuzz.py: 309+ digits
        # became float infinity and int() raised OverflowError, failing the stage.
        "9" * 330,
        f"The death toll has risen to {'9' * 330}, officials said.",
        f"At least 1{'0' * 40} people were killed in Gaza on Tuesday.",
        "Between 10000000000000000000 and 20000000000000000000 were killed.",
    ],
)
def test_figures_skip_numbers_larger_than_any_toll(figures_of, text):
    doc = figures_of(text)
    assert (doc.figures, doc.failures) == ([], [])


@pytest.mark.parametrize("phrase", ["9" * 330, "1" + "0" * 20, "at least 10000000001"])
def test_parse_count_refuses_numbers_larger_than_any_toll(phrase):
    assert parse_count(phrase) is None


@pytest.mark.parametrize(
    ("text", "scope"),
    [
        ("More than 14,000 people have been killed since the war began.", "cumulative"),
        ("The death toll has risen to 45.", "cumulative"),
        ("So far this year 30 health workers have been killed.", "cumulative"),
        ("12 people were killed on Monday.", "incident"),
    ],
)
def test_figures_scope_and_as_of_publication(figures_of, text, scope):
    (fig,) = figures_of(text).figures
    assert fig.scope == scope
    assert fig.as_of == ("2024-03-14" if scope == "cumulative" else None)


def test_figures_cumulative_as_of_date_in_text(figures_of):
    text = "As of March 10, 45 people had been killed in total."
    start = text.index("March 10")
    when = When("2024-03-10", "2024-03-10", "day", "March 10", "test")
    doc = figures_of(text, dates=[Mention(start, start + 8, when, 0)])
    (fig,) = doc.figures
    assert (fig.scope, fig.as_of) == ("cumulative", "2024-03-10")


def _claim(doc_text: str, content: str) -> Claim:
    start = doc_text.index(content)
    from eventledger.models import Evidence

    ev = Evidence.of("t1", doc_text, start, start + len(content))
    return Claim(
        id="t1:cl1",
        document_id="t1",
        speaker=Speaker(
            name="the ministry", normalized="Ministry of Health", type="health_authority"
        ),
        cue="said",
        stance="assert",
        content=content,
        direct=False,
        evidence=[ev],
        content_evidence=ev,
    )


@pytest.mark.parametrize(
    ("text", "claimed"),
    [
        # a relative clause on what the claim's content names tells it too
        ("The ministry condemned the strike on the clinic, in which four nurses were killed.", True),
        ("The ministry condemned the strike on the clinic on Monday, which killed four nurses.", True),
        # a clause of its own after the content is no part of the claim
        ("The ministry condemned the strike on the clinic. Four nurses were killed.", False),
        ("The ministry condemned the strike on the clinic; residents said four nurses were killed.", False),
    ],
)  # fmt: skip
def test_figures_a_relative_clause_after_a_claim_is_claimed(figures_of, text, claimed):
    doc = figures_of(text, claims=[_claim(text, "the strike on the clinic")])
    (fig,) = doc.figures
    assert (fig.claimant is not None) is claimed


@pytest.mark.parametrize(
    ("content", "claimed"),
    [("12 people were killed", True), ("the hospital was hit", False)],
)
def test_figures_claimant_only_inside_claim_content(figures_of, content, claimed):
    text = "12 people were killed and the hospital was hit, the ministry said."
    doc = figures_of(text, claims=[_claim(text, content)])
    (fig,) = doc.figures
    if claimed:
        assert fig.claimant == {
            "name": "Ministry of Health",
            "type": "health_authority",
            "as_written": "the ministry",
        }
        assert fig.claim_id == "t1:cl1"
    else:
        assert fig.claimant is None and fig.claim_id is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "The hospital received 15 bodies, among them six children and four women.",
            [("15 bodies", "killed"), ("six children", "killed"), ("four women", "killed")],
        ),
        (
            "At least eight people were still believed to be under the rubble.",
            [("At least eight people", "missing")],
        ),
        ("Nurses moved about 20 patients into corridors.", [("about 20 patients", "present")]),
        ("A nurse was abducted.", [("A nurse", "hostages")]),
        (
            "The clinic received 64 wounded people. Between 20 and 30 of them needed surgery.",
            [("64 wounded people", "injured"), ("Between 20 and 30 of them", "injured")],
        ),
    ],
)
def test_figures_kind_from_head_count_clause_or_article(figures_of, text, expected):
    doc = figures_of(text)
    assert [(f.text, f.kind) for f in doc.figures] == expected


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("Two staff members were injured.", "health_workers"),
        ("Two staff members of the hospital were injured.", "health_workers"),
        ("MSF said two of its staff members were injured.", "health_workers"),
        # staff of anything else (an aid convoy, a school) are no health workers
        ("Gunmen ambushed an aid convoy, injuring two staff members.", None),
        ("A paramedic was killed.", "health_workers"),
        ("Four medical volunteers were arrested.", "health_workers"),
        ("Two laboratory technicians were abducted.", "health_workers"),
        ("An anaesthesiologist was killed on her way to work.", "health_workers"),
        # workers who run a health facility are health workers
        ("The dead included seven aid workers operating a field hospital.", "health_workers"),
        ("Four volunteers who ran the village clinic were shot dead.", "health_workers"),
        ("Five aid workers were killed while operating a health post.", "health_workers"),
        # ... workers elsewhere are not
        ("The dead included seven aid workers operating a food convoy.", None),
        ("Five aid workers were killed while driving to the hospital.", None),
    ],
)
def test_figures_health_worker_groups(figures_of, text, group):
    (fig,) = figures_of(text).figures
    assert fig.group == group


@pytest.mark.parametrize("text", ["A spokesman said the hospital was busy.", "A man spoke."])
def test_figures_article_alone_is_no_count(figures_of, text):
    assert figures_of(text).figures == []


@pytest.mark.parametrize(
    ("text", "total", "subgroup", "group"),
    [
        ("An air strike killed 12 people, including three paramedics.", 12, 3, "health_workers"),
        ("Shelling killed 20 civilians, five of them children, officials said.", 20, 5, "children"),
        ("At least 15 people were killed, among them six children.", 15, 6, "children"),
    ],
)
def test_figures_subgroup_points_to_its_total(figures_of, text, total, subgroup, group):
    doc = figures_of(text)
    by_min = {f.min: f for f in doc.figures}
    head, sub = by_min[total], by_min[subgroup]
    assert sub.part_of == head.id and head.part_of is None
    assert sub.group == group and sub.kind == head.kind == "killed"


def test_figures_two_counts_joined_by_and_are_both_totals(figures_of):
    doc = figures_of("Gunmen killed three nurses and wounded five patients.")
    assert [f.part_of for f in doc.figures] == [None, None]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # nominal kinds: "the killing of", "among the dead", "sustained injuries"
        ("The agency condemned the killing of two staff members in the north.", ("killed", 2)),
        ("Rescuers said one child was among the dead.", ("killed", 1)),
        ("Another 14 people sustained injuries in the blast.", ("injured", 14)),
        # "were taken" is an abduction unless they were taken somewhere
        ("Ninety pupils were taken when gunmen stormed the school.", ("hostages", 90)),
        ("Twelve people were taken to hospital after the blast.", ("other", 12)),
        # a people noun whose relative clause says what befell them
        (
            "The camps shelter 50,000 people who were forced to flee their homes.",
            ("displaced", 50000),
        ),
    ],
)
def test_figures_kind_from_nominal_and_clause_cues(figures_of, text, expected):
    (fig,) = figures_of(text).figures
    assert (fig.kind, fig.min) == expected


def test_figures_coordinated_counts_share_kind_and_total(figures_of):
    doc = figures_of("Over 80 people were killed, including 12 children and four nurses.")
    total, kids, nurses = doc.figures
    assert nurses.kind == kids.kind == "killed"
    assert nurses.part_of == kids.part_of == total.id
    # the participle on the last conjunct tells the kind of the first
    doc = figures_of("Four teachers and three pupils killed in the raid were buried on Friday.")
    assert [f.kind for f in doc.figures] == ["killed", "killed"]
    assert [f.part_of for f in doc.figures] == [None, None]


@pytest.mark.parametrize(
    ("text", "scope"),
    [
        ("Over the last week, four paramedics have been killed in the province.", "cumulative"),
        ("Some 2,300 people have died in air strikes following the coup.", "cumulative"),
        ("Four paramedics were killed after the war of words between the two towns.", "incident"),
    ],
)
def test_figures_period_cues_make_a_count_cumulative(figures_of, text, scope):
    (fig,) = [f for f in figures_of(text).figures if f.kind == "killed"]
    assert fig.scope == scope


def test_figures_a_toll_that_includes_a_group_holds_it(figures_of):
    doc = figures_of(
        "The toll at the clinic rose on Friday to more than 40, it includes patients "
        "and at least five nurses."
    )
    total, nurses = doc.figures
    assert (nurses.kind, nurses.group, nurses.part_of) == ("killed", "health_workers", total.id)


def test_figures_people_nouns_beyond_the_usual(figures_of):
    doc = figures_of("The attack killed 30 people, including 12 patients and four caretakers.")
    assert [(f.min, f.kind) for f in doc.figures] == [(30, "killed"), (12, "killed"), (4, "killed")]


def test_figures_a_population_that_fled_is_no_incident_count(figures_of):
    (fig,) = figures_of(
        "The camps shelter 50,000 people who were forced to flee their homes."
    ).figures
    assert (fig.kind, fig.scope) == ("displaced", "cumulative")
    (fig,) = figures_of("The shelling forced 5,000 people to flee their homes.").figures
    assert (fig.kind, fig.scope) == ("displaced", "incident")


def test_figures_a_share_of_the_dead_told_later_is_a_subgroup_with_its_group(figures_of):
    doc = figures_of(
        "A missile killed five people and wounded 12 on Monday.\n\n"
        "Two of the dead were nurses, the governor said."
    )
    total = next(f for f in doc.figures if f.text.startswith("five"))
    share = next(f for f in doc.figures if f.text.startswith("Two"))
    assert (share.kind, share.group, share.part_of) == ("killed", "health_workers", total.id)
    assert total.part_of is None


def test_figures_a_later_count_that_is_no_share_stays_a_total(figures_of):
    doc = figures_of(
        "A missile killed five people on Monday.\n\nTwo nurses were killed in a second strike."
    )
    assert all(f.part_of is None for f in doc.figures)


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("A 64-year-old woman was killed in the shelling.", "women"),
        ("An 8-year-old boy was wounded by shrapnel.", "children"),
        ("A 12-year-old boy was hurt.", "children"),
    ],
)
def test_figures_one_person_of_a_given_age(figures_of, text, group):
    # one person, never a count of 64 or 12
    (fig,) = figures_of(text).figures
    assert (fig.min, fig.max, fig.group) == (1, 1, group)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "Israeli strike on Gaza school sheltering displaced kills at least 27, officials say",
            "killed",
        ),
        ("Shelling of shelter for displaced wounds 12, governor says", "injured"),
    ],
)
def test_figures_a_headlines_verb_before_a_bare_number_gives_its_kind(figures_of, text, kind):
    (fig,) = figures_of(text).figures
    assert fig.kind == kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an elliptical subject counts more of the same people
        (
            "Three health workers were injured and two were detained by the fighters.",
            [("injured", "health_workers"), ("detained", "health_workers")],
        ),
        # an object number after a verb does not: "wounded 20" may be anyone
        (
            "Gunmen killed three nurses and wounded 20.",
            [("killed", "health_workers"), ("injured", None)],
        ),
        # a people word the tagger reads as an adjective is still counted
        (
            "A drone struck an ambulance on Wednesday morning, killing a paramedic and "
            "injuring the driver, officials said.",
            [("killed", "health_workers")],
        ),
    ],
)
def test_figures_elliptical_and_mistagged_counts(figures_of, text, expected):
    assert [(f.kind, f.group) for f in figures_of(text).figures] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a sentence that lists who was among the people counted before
        ("A drone strike on a wedding killed 22 people on Saturday. Among those killed were "
         "six children and three women, medics said.",
         [(22, "killed", None), (6, "killed", 0), (3, "killed", 0)]),
        ("Shelling wounded 40 people in the city on Monday. Among the injured were eight children.",
         [(40, "injured", None), (8, "injured", 0)]),
        ("Gunmen attacked a bus on Friday, killing nine passengers. Among the victims were four "
         "nurses.",
         [(9, "killed", None), (4, "killed", 0)]),
        ("An air strike killed 15 people. The victims included four aid workers, the agency said.",
         [(15, "killed", None), (4, "killed", 0)]),
        # "of those killed": a share of the total told before, with the participle's kind
        ("A bomb went off at a checkpoint on Tuesday, killing 14 people. Ten of those killed "
         "were soldiers, the army said.",
         [(14, "killed", None), (10, "killed", 0)]),
        # with no count before it, the list is a count of its own
        ("Among the dead were 12 soldiers, the army said on Friday.", [(12, "killed", None)]),
    ],
)  # fmt: skip
def test_figures_a_later_sentence_lists_a_share_of_the_total(figures_of, text, expected):
    figs = figures_of(text).figures
    ids = [f.id for f in figs]
    got = [(f.min, f.kind, ids.index(f.part_of) if f.part_of else None) for f in figs]
    assert got == expected


def test_figures_those_of_the_hostages_who_escaped_are_no_hostages(figures_of):
    doc = figures_of(
        "Gunmen stormed a school on Thursday and abducted 60 pupils. Twelve of them later "
        "escaped, a teacher said."
    )
    total, escaped = doc.figures
    assert (total.kind, total.min) == ("hostages", 60)
    assert (escaped.kind, escaped.part_of) == ("other", total.id)


def test_figures_one_person_listed_after_including_is_a_share(figures_of):
    doc = figures_of("An airstrike killed five people, including a child and a nurse, on Sunday.")
    total, child, nurse = doc.figures
    assert (total.min, total.part_of) == (5, None)
    assert [(f.min, f.kind, f.group, f.part_of) for f in (child, nurse)] == [
        (1, "killed", "children", total.id),
        (1, "killed", "health_workers", total.id),
    ]


def test_figures_including_a_thing_counts_no_one(figures_of):
    assert figures_of("The hospital, including a maternity ward, was damaged.").figures == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # one more person of the count before, with its kind
        ("Gunmen shot dead two vaccinators and a physician in the district on Monday.",
         [(2, "killed", "health_workers"), (1, "killed", "health_workers")]),
        ("Armed men abducted two nurses and a pharmacist on Tuesday.",
         [(2, "hostages", "health_workers"), (1, "hostages", "health_workers")]),
        # things are no people
        ("The clinic lost two generators and a fridge.", []),
    ],
)  # fmt: skip
def test_figures_one_more_person_coordinated_with_a_count(figures_of, text, expected):
    assert [(f.min, f.kind, f.group) for f in figures_of(text).figures] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a live blog's clock time gives no count and takes none away
        ("10:20 – Three people were killed when a drone hit a car.", [(3, "killed")]),
        # the family of its members is no count of people
        ("A strike on a house killed six members of one family overnight.", [(6, "killed")]),
        ("The shelling displaced 300 families.", [(300, "displaced")]),
    ],
)
def test_figures_clock_times_and_families(figures_of, text, expected):
    assert [(f.min, f.kind) for f in figures_of(text).figures] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a verb that names no kind takes the one coordinated with it
        ("Two nurses were shot and killed at the clinic gate.",
         [(2, "killed", "health_workers")]),
        ("Four ambulance drivers were attacked and hospitalised after the march.",
         [(4, "injured", "health_workers")]),
        # "amongst" reads as "among"
        ("The blast wounded 20 people. Amongst the wounded were three paramedics.",
         [(20, "injured", None), (3, "injured", "health_workers")]),
        # "another two" are more of the people counted before
        ("Two doctors were killed and another two injured in the blast.",
         [(2, "killed", "health_workers"), (2, "injured", "health_workers")]),
        # a counted noun five words after its number; a health officer is a health worker
        ("Two male volunteer NGO health workers were arrested.",
         [(2, "detained", "health_workers")]),
        ("Police detained three surgeons and a health officer.",
         [(3, "detained", "health_workers"), (1, "detained", "health_workers")]),
        # physical violence is injury: assaulted, beaten
        ("Three doctors were assaulted by a patient's relatives.",
         [(3, "injured", "health_workers")]),
        ("Two nurses were beaten by soldiers at the gate.", [(2, "injured", "health_workers")]),
        # the active subject of a harm did it; a list the parser reads as one clause did not
        ("200 fighters killed five civilians in the village.",
         [(200, "other", "fighters"), (5, "killed", "civilians")]),
        ("One paramedic killed, two paramedics injured in the second ambulance.",
         [(1, "killed", "health_workers"), (2, "injured", "health_workers")]),
        # a bare singular noun coordinated with one person is one more of that kind
        ("A nurse and pharmacist were abducted by gunmen.",
         [(1, "hostages", "health_workers"), (1, "hostages", "health_workers")]),
        ("A doctor and his wife were killed.", [(1, "killed", "health_workers")]),
        ("A doctor and nurses were injured.", [(1, "injured", "health_workers")]),
        # a coordinated verb with a subject of its own says nothing of the count
        ("Five medics were attacked and the army killed a driver.",
         [(5, "other", "health_workers"), (1, "killed", None)]),
    ],
)  # fmt: skip
def test_figures_health_worker_counts_as_reports_word_them(figures_of, text, expected):
    assert [(f.min, f.kind, f.group) for f in figures_of(text).figures] == expected


def test_figures_a_person_listed_after_a_listed_count_is_one_more(figures_of):
    doc = figures_of(
        "An attack on the hospital killed at least 40 people, including 13 children and a nurse."
    )
    assert [(f.kind, f.min, f.group) for f in doc.figures][-1] == ("killed", 1, "health_workers")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # what a verb of no kind acts on is a thing told before, not the wounded
        (
            "An aid worker was killed and two others injured in the ambush. The attackers "
            "looted the trucks and set one of them on fire.",
            [("killed", 1), ("injured", 2)],
        ),
        # a verb of a kind counts them
        (
            "Gunmen abducted nine farmers on Sunday. They later killed two of them.",
            [("hostages", 9), ("killed", 2)],
        ),
    ],
)
def test_figures_a_back_reference_acted_on_is_no_count(figures_of, text, expected):
    assert [(f.kind, f.best) for f in figures_of(text).figures] == expected


def test_figures_a_perfect_tense_count_this_year_is_cumulative(figures_of):
    (fig,) = figures_of(
        "At least 12 aid workers have been killed in the country this year."
    ).figures
    assert (fig.kind, fig.best, fig.scope) == ("killed", 12, "cumulative")


@pytest.mark.parametrize(
    "text",
    [
        "Rescuers searched the rubble of the four-story building for survivors.",
        "A two-hour gunfight followed near the 200-bed hospital.",
    ],
)
def test_figures_a_hyphenated_measure_is_no_count(figures_of, text):
    assert figures_of(text).figures == []


def test_figures_the_injured_who_died_are_killed(figures_of):
    figs = figures_of(
        "Scores of people were wounded, and two of the injured died later in hospital."
    )
    assert ("killed", 2) in [(f.kind, f.best) for f in figs.figures]


def test_figures_a_harm_participle_before_the_count_gives_its_kind(figures_of):
    # the small model hangs "11 people" on the trailing "said"
    doc = figures_of(
        "Gunmen attacked a village in the state overnight, killing at least 11 people and "
        "burning homes, police and residents said Monday."
    )
    assert [(f.kind, f.best) for f in doc.figures] == [("killed", 11)]


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("Four members of a vaccination team were injured by gunmen.", "health_workers"),
        ("Two members of the hospital staff were detained on Friday.", "health_workers"),
        ("Three members of the football team were injured.", None),
        ("Six members of a medical team's host family were killed.", None),
    ],
)
def test_members_of_a_health_team_are_health_workers(figures_of, text, group):
    doc = figures_of(text)
    assert [f.group for f in doc.figures] == [group]


def test_figures_a_count_of_the_wounded_as_a_participle(figures_of):
    doc = figures_of("Medics said they had received 22 bodies and more than 30 wounded.")
    assert [(f.kind, f.best) for f in doc.figures] == [("killed", 22), ("injured", 30)]


def test_figures_a_count_the_parse_joins_to_a_place_takes_the_next_verb(figures_of):
    # "killed at the hospital and 16 people ... were wounded": the small model
    # makes "16 people" a conjunct of "hospital"; the verb after it has no subject
    doc = figures_of(
        "Two adults were killed at the Okhmatdyt hospital and 16 people, including seven "
        "children, were wounded, Kyiv Mayor Vitali Klitschko said."
    )
    kinds = {f.text: f.kind for f in doc.figures}
    assert kinds == {"Two adults": "killed", "16 people": "injured", "seven children": "injured"}


@pytest.mark.parametrize(
    "text",
    [
        "Air strike on monastery kills 20 sheltering villagers",
        "Shelling killed 12 fleeing civilians near the bridge.",
    ],
)
def test_figures_what_the_counted_were_doing_is_not_what_befell_them(figures_of, text):
    (fig,) = figures_of(text).figures
    assert fig.kind == "killed"


def test_figures_since_the_beginning_of_the_year_is_cumulative(figures_of):
    (fig,) = figures_of(
        "Since the beginning of the year, the charity's teams have treated more than "
        "1,200 people with gunshot wounds in the capital."
    ).figures
    assert fig.scope == "cumulative"


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Gunmen shot dead a nurse who was treating patients.", "killed"),
        ("A nurse who was treating patients was killed in the raid.", "killed"),
        ("The camps shelter 700 people who were forced to flee their homes.", "displaced"),
        # the small model makes "shot" a noun and "dead" the root over the officer
        ("Unidentified gunmen on a motorcycle shot dead a police officer on Tuesday.", "killed"),
        # rescuers pulling bodies from the rubble: the toll's dead are not missing
        (
            "The death toll from the strike rose to 12 on Thursday as rescuers pulled more "
            "bodies from the rubble.",
            "killed",
        ),
    ],
)
def test_figures_what_befell_the_counted_not_what_they_did(figures_of, text, kind):
    (fig,) = figures_of(text).figures
    assert fig.kind == kind


def test_figures_those_fleeing_when_killed_were_killed(figures_of):
    (fig,) = figures_of(
        "Fighters killed hundreds of people fleeing the city towards the border."
    ).figures
    assert fig.kind == "killed"
    (fig,) = figures_of("700 people fleeing the fighting reached the border.").figures
    assert fig.kind == "displaced"


@pytest.mark.parametrize(
    ("text", "kind", "group"),
    [
        ("A two-day-old baby boy was killed in the strike.", "killed", "children"),
        ("A six-month-old girl was wounded in the shelling.", "injured", "children"),
    ],
)
def test_figures_an_age_in_days_or_months_between_article_and_noun(figures_of, text, kind, group):
    (fig,) = figures_of(text).figures
    assert (fig.kind, fig.min, fig.group) == (kind, 1, group)


@pytest.mark.parametrize(
    "text",
    [
        "His mother and a doctor were pulled alive from the rubble.",
        "The baby's mother and a doctor were rescued from the rubble, the governor said.",
    ],
)
def test_figures_the_rescued_from_the_rubble_are_not_missing(figures_of, text):
    assert all(f.kind != "missing" for f in figures_of(text).figures)


@pytest.mark.parametrize(
    ("text", "group"),
    [
        (
            "Two staff members of the charity were wounded and taken to the state hospital.",
            None,
        ),
        ("Two staff members were wounded when shells hit the hospital.", "health_workers"),
        ("Gunmen killed two staff members of the clinic.", "health_workers"),
    ],
)
def test_figures_staff_are_health_workers_only_of_health_care(figures_of, text, group):
    (fig,) = figures_of(text).figures
    assert fig.group == group


@pytest.mark.parametrize(
    ("text", "kind", "scope"),
    [
        # a war's toll over its course
        ("The war has killed at least 40,000 people, according to the WHO.", "killed",
         "cumulative"),
        ("The conflict began in April 2023 and has since killed 10,000 people.", "killed",
         "cumulative"),
        # not a strike in a war-torn town, nor one a war monitor counts
        ("A strike in the war-torn city has killed 12 people.", "killed", "incident"),
        ("The strike has killed 12 people, a war monitor said.", "killed", "incident"),
        # the count right after its deed, parsed as the subject of the trailing "said"
        ("A military air strike on a monastery in the region killed at least 20 people, "
         "including children, who had taken shelter there from fighting, a local "
         "resistance group said on Monday.", "killed", "incident"),
    ],
)  # fmt: skip
def test_figures_a_wars_toll_and_a_count_read_as_a_speaker(figures_of, text, kind, scope):
    fig = figures_of(text).figures[0]
    assert (fig.kind, fig.scope) == (kind, scope)


@pytest.mark.parametrize(
    "text",
    [
        "Gunmen shot dead two polio vaccination workers on Monday.",
        "Three health care workers were killed in the strike.",
    ],
)
def test_figures_vaccination_and_health_care_workers_are_health_workers(figures_of, text):
    assert [f.group for f in figures_of(text).figures] == ["health_workers"]


def test_figures_strikes_across_the_strip_are_a_sum(figures_of):
    (fig,) = figures_of(
        "Israeli air strikes across the Gaza Strip killed at least 40 people overnight."
    ).figures
    assert fig.scope == "cumulative"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A Cameroonian peacekeeper was killed in the ambush.", [("killed", 1, "fighters")]),
        ("Two gendarmes were killed in the attack.", [("killed", 2, "fighters")]),
        ("Gunmen killed a police constable escorting the team.", [("killed", 1, None)]),
        # a unit's number is its name
        ("The clashes erupted after the 444's commander was detained by the 444 Brigade.", []),
    ],
)
def test_figures_of_security_forces_and_units_named_by_number(figures_of, text, expected):
    doc = figures_of(text)
    assert [(f.kind, f.min, f.group) for f in doc.figures] == expected
