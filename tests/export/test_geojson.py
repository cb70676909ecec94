import io
import json

from eventledger.export.geojson import GEOJSON_PROPERTIES, write_geojson


def test_geojson_has_one_feature_per_incident(example_export):
    out = io.StringIO()
    write_geojson(example_export, out)
    data = json.loads(out.getvalue())
    assert data["type"] == "FeatureCollection"
    incidents = {i["id"]: i for i in example_export["incidents"]}
    assert [f["id"] for f in data["features"]] == list(incidents)
    for feature in data["features"]:
        assert tuple(feature["properties"]) == GEOJSON_PROPERTIES
        place = incidents[feature["id"]].get("place") or {}
        if place.get("lat") is None:
            assert feature["geometry"] is None  # never a guessed point
        else:
            assert feature["geometry"] == {
                "type": "Point",
                "coordinates": [place["lon"], place["lat"]],
            }
