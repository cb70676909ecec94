"""The server-rendered web UI: Jinja2 templates, a little static CSS and JS, SVG map and chart."""

from eventledger.web.pages import error_page, router, templates

__all__ = ["error_page", "router", "static_dir", "templates"]


def static_dir() -> str:
    """The folder of the UI's CSS and JS."""
    from importlib import resources

    return str(resources.files("eventledger").joinpath("web/static"))
