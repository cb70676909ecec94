"""Write examples/articles/archive.warc.gz: two fictional news pages as HTTP responses.

The output is deterministic (fixed WARC-Date, record ids derived from the URL,
gzip members with a zero mtime), so rerunning the script gives the same bytes.
Run it with: .venv/bin/python examples/make_warc.py
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from urllib.parse import urlsplit

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

OUTPUT = Path(__file__).resolve().parent / "articles" / "archive.warc.gz"

# A fixed namespace keeps record ids stable across runs without hard-coding UUIDs.
ID_NAMESPACE = uuid.UUID("6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f")


@dataclass(frozen=True)
class Page:
    """One captured page: where it was fetched from, when, and its HTML."""

    url: str
    warc_date: str
    http_date: str
    html: str


IZIUM_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Shelling damages Izium maternity centre, two women killed nearby | Steppe Courier</title>
  <meta property="og:site_name" content="Steppe Courier">
  <meta property="og:type" content="article">
  <meta property="article:published_time" content="2024-03-18T15:30:00Z">
  <link rel="canonical" href="https://steppecourier.example/ukraine/2024/03/18/izium-maternity-centre-shelling">
</head>
<body>
  <nav><a href="/">Steppe Courier</a> | <a href="/ukraine">Ukraine</a> | <a href="/world">World</a> | <a href="/donate">Support our journalism</a></nav>
  <article>
    <h1>Shelling damages Izium maternity centre, two women killed nearby</h1>
    <p>IZIUM, Ukraine &mdash; A shell struck the courtyard of the Siverskyi Maternity Centre in Izium on Sunday afternoon, shattering windows and damaging part of the roof, while two women were killed at a bus stop across the road, regional prosecutors said.</p>
    <p>Five other people were wounded, including a 12-year-old boy, the regional prosecutor&rsquo;s office said in a statement. It said the shelling came from Russian positions to the east and had opened a war crimes investigation.</p>
    <p>Staff moved 12 mothers and their newborn babies into the basement as the shelling continued for about 40 minutes, said the centre&rsquo;s director, Iryna Bondar. &ldquo;The windows in the delivery room came in while a woman was giving birth,&rdquo; she said. She added that the mother and the baby were unharmed.</p>
    <p>The centre was damaged by shelling in March last year and had reopened in the autumn after repairs paid for by donors. It is the only maternity unit within 50 kilometres.</p>
    <p>Advertisement</p>
    <p>Izium, which was occupied for six months in 2022, has come under renewed artillery and drone fire in recent weeks as fighting has intensified along the front to the east, local officials said.</p>
  </article>
  <footer><p>&copy; 2024 Steppe Courier</p><p><a href="/privacy">Privacy policy</a></p></footer>
</body>
</html>
"""

TRIPOLI_HTML = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Stray bullets hit Tripoli hospital during clashes, patient wounded - Cedar Coast Times</title>
  <meta property="og:site_name" content="Cedar Coast Times">
  <meta property="article:published_time" content="2024-03-16T19:45:00Z">
  <link rel="canonical" href="https://cedarcoasttimes.example/lebanon/2024/03/16/tripoli-hospital-stray-bullets">
</head>
<body>
  <header><a href="/">Cedar Coast Times</a><nav><a href="/lebanon">Lebanon</a> <a href="/region">Region</a> <a href="/economy">Economy</a></nav></header>
  <article>
    <h1>Stray bullets hit Tripoli hospital during clashes, patient wounded</h1>
    <p>TRIPOLI, Lebanon &mdash; Stray bullets struck the third floor of the Al-Mina Charitable Hospital in Tripoli late on Friday during clashes between armed men in the city&rsquo;s Bab al-Tabbaneh district, wounding a patient in her bed, the hospital said.</p>
    <p>The patient, a 61-year-old woman recovering from surgery, was hit in the shoulder and was in a stable condition on Saturday, hospital administrator Rania Khoury said. Nurses moved about 20 patients from rooms facing the street into corridors until the shooting stopped, she said.</p>
    <p>Sign up for our newsletter to get the Cedar Coast Times morning briefing.</p>
    <p>Three people were wounded in the clashes themselves, which began after a dispute between two families, according to a security source. The army deployed troops to the district early on Saturday and said it had detained four people.</p>
    <p>The hospital said it had suspended outpatient services for the day and appealed to armed groups to respect medical facilities. Its windows were hit by gunfire during similar clashes last week, it said.</p>
  </article>
  <footer>&copy; Cedar Coast Times 2024</footer>
</body>
</html>
"""

PAGES = (
    Page(
        url="https://steppecourier.example/ukraine/2024/03/18/izium-maternity-centre-shelling",
        warc_date="2024-03-18T16:02:11Z",
        http_date="Mon, 18 Mar 2024 16:02:11 GMT",
        html=IZIUM_HTML,
    ),
    Page(
        url="https://cedarcoasttimes.example/lebanon/2024/03/16/tripoli-hospital-stray-bullets",
        warc_date="2024-03-16T20:10:42Z",
        http_date="Sat, 16 Mar 2024 20:10:42 GMT",
        html=TRIPOLI_HTML,
    ),
)


def record_id(name: str) -> str:
    """Return a stable WARC-Record-ID for name."""
    return f"<urn:uuid:{uuid.uuid5(ID_NAMESPACE, name)}>"


def write_archive(path: Path) -> None:
    """Write a warcinfo record, then a request and a response record for each page."""
    buffer = BytesIO()
    writer = WARCWriter(buffer, gzip=True)

    info = b"software: eventledger examples/make_warc.py\r\nformat: WARC File Format 1.0\r\n"
    writer.write_record(
        writer.create_warc_record(
            "",
            "warcinfo",
            payload=BytesIO(info),
            length=len(info),
            warc_content_type="application/warc-fields",
            warc_headers_dict={
                "WARC-Record-ID": record_id("warcinfo"),
                "WARC-Date": PAGES[0].warc_date,
                "WARC-Filename": path.name,
            },
        )
    )

    for page in PAGES:
        body = page.html.encode("utf-8")
        # A request record precedes each response, as crawlers write them; readers must skip it.
        parts = urlsplit(page.url)
        request_headers = StatusAndHeaders(
            f"GET {parts.path} HTTP/1.1",
            [("Host", parts.netloc), ("User-Agent", "eventledger-examples/1.0")],
            is_http_request=True,
        )
        writer.write_record(
            writer.create_warc_record(
                page.url,
                "request",
                payload=BytesIO(b""),
                length=0,
                http_headers=request_headers,
                warc_headers_dict={
                    "WARC-Record-ID": record_id("request " + page.url),
                    "WARC-Date": page.warc_date,
                },
            )
        )
        http_headers = StatusAndHeaders(
            "200 OK",
            [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(body))),
                ("Date", page.http_date),
            ],
            protocol="HTTP/1.1",
        )
        writer.write_record(
            writer.create_warc_record(
                page.url,
                "response",
                payload=BytesIO(body),
                length=len(body),
                http_headers=http_headers,
                warc_headers_dict={
                    "WARC-Record-ID": record_id("response " + page.url),
                    "WARC-Date": page.warc_date,
                    "WARC-Concurrent-To": record_id("request " + page.url),
                },
            )
        )

    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def main() -> None:
    """Write the example archive next to the other example articles."""
    write_archive(OUTPUT)
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size} bytes, {len(PAGES)} pages)")


if __name__ == "__main__":
    main()
