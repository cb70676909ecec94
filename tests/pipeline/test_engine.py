from __future__ import annotations

from eventledger.models import Article
from eventledger.pipeline import Document, Pipeline


class _Tag:
    name = "test.tag.v1"
    requires = ()
    assigns = ()

    def __call__(self, doc):
        doc.article.title = (doc.article.title or "") + "+tag"
        return doc


class _Boom:
    name = "test.boom.v1"
    requires = ()
    assigns = ()

    def __call__(self, doc):
        if "bad" in doc.text:
            raise ValueError("cannot cope")
        return doc


def _docs(*texts):
    return [Document(Article(id=f"d{i}", key=f"d{i}", text=t)) for i, t in enumerate(texts)]


def test_a_failing_stage_is_recorded_and_the_batch_goes_on():
    pipe = Pipeline([_Boom(), _Tag()])
    out = list(pipe.pipe(_docs("good", "bad text", "good again"), batch_size=2))
    assert [d.id for d in out] == ["d0", "d1", "d2"]
    assert [len(d.failures) for d in out] == [0, 1, 0]
    assert out[1].failures[0].stage == "test.boom.v1"
    assert "cannot cope" in out[1].failures[0].message
    # later stages still ran on the failed document
    assert all(d.article.title == "+tag" for d in out)


def test_new_ids_are_unique_per_kind():
    doc = _docs("x")[0]
    assert [doc.new_id("ev"), doc.new_id("ev"), doc.new_id("fig")] == [
        "d0:ev1",
        "d0:ev2",
        "d0:fig1",
    ]


def test_pipe_ahead_gives_what_pipe_gives_in_order():
    texts = [f"report {i}" if i % 4 else f"bad report {i}" for i in range(11)]
    ahead = list(Pipeline([_Boom(), _Tag()]).pipe_ahead(_docs(*texts), batch_size=3))
    plain = list(Pipeline([_Boom(), _Tag()]).pipe(_docs(*texts), batch_size=3))
    assert [d.id for d in ahead] == [d.id for d in plain] == [f"d{i}" for i in range(11)]
    assert [len(d.failures) for d in ahead] == [len(d.failures) for d in plain]
    assert [d.failures[0].stage for d in ahead if d.failures] == ["test.boom.v1"] * 3
    assert all(d.article.title == "+tag" for d in ahead)


class _Where:
    """Records the thread each document ran in, per stage."""

    requires = ()
    assigns = ()

    def __init__(self, name, seen):
        self.name, self.seen = name, seen

    def __call__(self, doc):
        import threading

        self.seen.append((self.name, doc.id, threading.current_thread().name))
        return doc


def test_pipe_ahead_draws_documents_in_the_callers_thread_and_stages_in_workers():
    import threading

    seen: list[tuple[str, str, str]] = []
    caller = threading.current_thread().name

    def docs():
        for doc in _docs("a", "b", "c", "d", "e"):
            seen.append(("drawn", doc.id, threading.current_thread().name))
            yield doc

    pipe = Pipeline([_Where("parse", seen), _Where("rules", seen)])
    assert [d.id for d in pipe.pipe_ahead(docs(), batch_size=2)] == ["d0", "d1", "d2", "d3", "d4"]
    threads = {step: {t for s, _, t in seen if s == step} for step in ("drawn", "parse", "rules")}
    assert threads["drawn"] == {caller}
    assert caller not in threads["parse"] | threads["rules"]
    assert threads["parse"].isdisjoint(threads["rules"])
    # Each stage saw each document once, in order.
    assert [d for s, d, _ in seen if s == "rules"] == ["d0", "d1", "d2", "d3", "d4"]


def test_pipe_ahead_stopped_early_leaves_no_worker_running():
    import threading

    before = set(threading.enumerate())
    out = Pipeline([_Tag(), _Tag()]).pipe_ahead(_docs(*"abcdefgh"), batch_size=2)
    assert next(out).id == "d0"
    out.close()
    assert [t for t in threading.enumerate() if t not in before] == []
