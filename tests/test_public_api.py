import eventledger


def test_public_surface_is_pinned():
    assert sorted(eventledger.__all__) == [
        "Article",
        "Claim",
        "Document",
        "Event",
        "EventLedgerError",
        "Evidence",
        "Figure",
        "Incident",
        "Pipeline",
        "Place",
        "Settings",
        "When",
        "__version__",
        "load_settings",
    ]
    for name in eventledger.__all__:
        assert hasattr(eventledger, name)
