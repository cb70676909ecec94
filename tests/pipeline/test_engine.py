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
