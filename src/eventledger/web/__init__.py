"""The server-rendered web UI: Jinja2 templates, a little static CSS and JS, SVG map and chart."""

from fastapi import APIRouter
from fastapi.templating import Jinja2Templates

from eventledger.web import pages, review
from eventledger.web.auth import Sessions
from eventledger.web.pages import error_page

__all__ = ["Sessions", "error_page", "router", "static_dir", "templates"]

router = APIRouter(include_in_schema=False)
router.include_router(pages.router)
router.include_router(review.router)


def templates() -> Jinja2Templates:
    """The page templates; `review_session(request)` tells a template who is signed in."""
    found = pages.templates()
    found.env.globals["review_session"] = review.current_session
    return found


def static_dir() -> str:
    """The folder of the UI's CSS and JS."""
    from importlib import resources

    return str(resources.files("eventledger").joinpath("web/static"))
