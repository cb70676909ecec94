import io
import json

from eventledger.export.plover import PLOVER_FIELDS, write_plover

PLOVER_EVENTS = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "INVESTIGATE",
    "DEMAND", "DISAPPROVE", "REJECT", "THREATEN", "SANCTION", "PROTEST", "CRIME", "MOBILIZE",
    "COERCE", "ASSAULT", "FIGHT",
}  # fmt: skip


def test_plover_lines_have_the_fields_in_order(example_export):
    out = io.StringIO()
    write_plover(example_export, out)
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines
    asserted = {e["id"] for e in example_export["events"] if e["factuality"] == "asserted"}
    for record in lines:
        assert tuple(record) == PLOVER_FIELDS
        assert record["event"] in PLOVER_EVENTS
        assert record["id"] in asserted
        assert isinstance(record["source"], list) and isinstance(record["target"], list)
        for span in record["x_evidence"]:
            assert span["document_id"] == record["story_id"]
