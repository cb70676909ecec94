"""The pipeline run in worker processes: same documents, same order, and an
article a worker cannot run is given back as Unprocessed while the rest go on.

The stages here are small ones registered by this module (a worker imports it
to know them), so that a worker starts without loading spaCy.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os

import pytest

from eventledger.errors import ConfigError, RegistryError
from eventledger.models import Article
from eventledger.pipeline import Document, Pipeline, register
from eventledger.pipeline.processes import ProcessPipeline, Unprocessed


@register("test.procs_tag.v1")
class _Tag:
    requires = assigns = ()

    def __init__(self, settings):
        pass

    def __call__(self, doc):
        doc.article.title = f"{doc.article.title or ''}+{doc.article.id}"
        doc.new_id("ev")
        return doc


@register("test.procs_boom.v1")
class _Boom:
    requires = assigns = ()

    def __init__(self, settings):
        pass

    def __call__(self, doc):
        if "bad" in doc.text:
            raise ValueError("cannot cope")
        return doc


@register("test.procs_crash.v1")
class _Crash:
    """Ends its process on a text that asks for it, as a segfault or the OOM killer would."""

    requires = assigns = ()

    def __init__(self, settings):
        pass

    def __call__(self, doc):
        if "crash" in doc.text and multiprocessing.parent_process() is not None:
            os._exit(3)
        return doc


@register("test.procs_unpicklable.v1")
class _Unpicklable:
    """Leaves a record that cannot be sent back to the caller on a text that asks for it."""

    requires = assigns = ()

    def __init__(self, settings):
        pass

    def __call__(self, doc):
        if "lambda" in doc.text:
            doc.article.title = lambda: None
        return doc


def _settings(settings, *stages):
    return dataclasses.replace(settings, pipeline=list(stages))


def _docs(texts):
    return [Document(Article(id=f"d{i}", key=f"d{i}", text=t)) for i, t in enumerate(texts)]


def test_workers_give_what_pipe_gives_in_input_order(settings):
    settings = _settings(settings, "test.procs_boom.v1", "test.procs_tag.v1")
    texts = [f"bad report {i}" if i % 5 == 0 else f"report {i}" for i in range(27)]
    plain = list(Pipeline.from_settings(settings).pipe(_docs(texts), batch_size=4))
    with ProcessPipeline(settings, workers=2) as workers:
        ahead = list(workers.pipe_ahead(_docs(texts), batch_size=4))
    assert workers.cpu_seconds > 0
    assert [d.id for d in ahead] == [d.id for d in plain] == [f"d{i}" for i in range(27)]
    assert [d.article.title for d in ahead] == [d.article.title for d in plain]
    assert [[(f.stage, f.message) for f in d.failures] for d in ahead] == [
        [(f.stage, f.message) for f in d.failures] for d in plain
    ]
    assert sum(1 for d in ahead if d.failures) == 6
    # The ids a stage handed out continue in the caller, as they would in-process.
    assert ahead[3].new_id("ev") == plain[3].new_id("ev") == "d3:ev2"
    # The parse stays in the worker: nothing bound to its model comes back.
    assert all(d.paragraphs == [] and d.sentences == [] for d in ahead)


def test_an_article_a_worker_dies_on_is_unprocessed_and_the_rest_come_back(settings):
    settings = _settings(settings, "test.procs_crash.v1", "test.procs_tag.v1")
    texts = [f"report {i}" for i in range(20)]
    texts[11] = "this one makes the worker crash"
    with ProcessPipeline(settings, workers=1) as workers:
        out = list(workers.pipe_ahead(_docs(texts), batch_size=4))
        assert workers.restarts == 2  # the chunk it was in, then the article alone
    assert [d.article.id for d in out] == [f"d{i}" for i in range(20)]
    (lost,) = [d for d in out if isinstance(d, Unprocessed)]
    assert lost.article.id == "d11" and "died" in lost.reason
    assert all(d.article.title == f"+d{i}" for i, d in enumerate(out) if i != 11)


def test_an_article_whose_records_cannot_be_sent_back_is_unprocessed(settings):
    settings = _settings(settings, "test.procs_tag.v1", "test.procs_unpicklable.v1")
    texts = ["report", "a lambda in its title", "report again"]
    with ProcessPipeline(settings, workers=1) as workers:
        out = list(workers.pipe_ahead(_docs(texts)))
        assert workers.restarts == 0
    assert [type(d) for d in out] == [Document, Unprocessed, Document]
    assert "pickle" in out[1].reason.lower()


def test_a_stage_a_worker_cannot_build_is_raised_by_start(settings):
    workers = ProcessPipeline(_settings(settings, "test.procs_never_registered.v1"), workers=1)
    with pytest.raises(RegistryError, match="test.procs_never_registered.v1"):
        workers.start()
    assert multiprocessing.active_children() == []


def test_stopping_early_leaves_no_worker_running(settings):
    settings = _settings(settings, "test.procs_tag.v1")
    with ProcessPipeline(settings, workers=2) as workers:
        out = workers.pipe_ahead(_docs([f"report {i}" for i in range(100)]), batch_size=4)
        first = next(out)
        out.close()
    assert first.id == "d0"
    assert multiprocessing.active_children() == []


def test_workers_must_be_at_least_one(settings):
    with pytest.raises(ConfigError, match="at least 1"):
        ProcessPipeline(settings, workers=0)
