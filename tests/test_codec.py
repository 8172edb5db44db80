"""codec.encode (json's C encoder walking lists and scalars, issue 17) writes what encode_plain writes,
byte for byte, on every guide of the project and on generated documents (odd front matter included), and
fails where it fails; decode reads it back to the same Document."""
from __future__ import annotations

import datetime
import functools
from decimal import Decimal

import pytest
from hypothesis import given, settings, strategies as st

from workflow import codec
from workflow.model import (Code, Document, Fact, Heading, ListBlock, ListItem, Paragraph, Price, Quote, Rule,
                            Segment, Table, Text)
from workflow.project import Project

from conftest import REPO


def _same(doc: Document) -> bytes:
    try:
        plain = codec.encode_plain(doc)
    except ValueError as exc:
        with pytest.raises(ValueError, match=str(exc)):
            codec.encode(doc)
        return b""
    assert codec.encode(doc) == plain
    return plain


def test_every_guide_of_the_project_is_encoded_as_the_plain_route_encodes_it():
    project = Project(REPO)
    for guide in project.guides:
        doc = project._segment(project.source_path(guide), project.source_path(guide).read_bytes(), guide)
        data = _same(doc)
        again = codec.decode(data)
        assert again == doc and data
        # shared as the segmenter shares them: a Text's segment, and that segment's placeholders
        assert _sharing(again) == _sharing(doc)


def _sharing(doc: Document) -> list[tuple[int | None, bool]]:
    """Per Text: the index of its segment in doc.segments (by identity), and whether it holds that segment's
    own placeholders dict (the segmenter hands one dict to both)."""
    where = {id(seg): n for n, seg in enumerate(doc.segments)}
    return [(where.get(id(t.segment)), t.segment is not None and t.placeholders is t.segment.placeholders)
            for t in _texts(doc)]


class Name(str):
    pass


scalars = (st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False) | st.text(max_size=8)
           | st.decimals(allow_nan=False, allow_infinity=False) | st.dates() | st.datetimes()
           | st.text(max_size=4).map(Name))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.lists(inner, max_size=3).map(tuple)
                      | st.dictionaries(st.text(max_size=5), inner, max_size=4)
                      | st.dictionaries(st.integers(0, 3), inner, min_size=1, max_size=2)
                      | st.dictionaries(st.text(max_size=3).map(Name), inner, max_size=2), max_leaves=12)
prices = st.builds(Price, st.sampled_from(["USD", "EUR"]), st.decimals(0, 10**6, places=1),
                   st.none() | st.decimals(0, 10**6, places=0), st.booleans(), st.booleans(), st.text(max_size=6))
placeholders = st.dictionaries(st.sampled_from(["price1", "n", "price2"]),
                               prices | st.builds(Fact, st.just("f"), st.just("112"), st.text(max_size=5)), max_size=2)


@st.composite
def documents(draw):
    segments = [Segment(draw(st.text(max_size=30)), n + 1, "paragraph", draw(placeholders), draw(st.text(max_size=5)),
                        draw(st.none() | st.just("disc")), draw(st.dictionaries(st.text(max_size=3), values, max_size=2)))
                for n in range(draw(st.integers(0, 5)))]
    stray = Segment("not in the document", 9, "alt")   # a Text's segment the document does not list: written whole

    def text():
        own = draw(st.sampled_from(segments + [None, stray]))
        if own is not None and draw(st.booleans()):   # the segmenter's own Text of a segment: written as its index
            return Text(own.msgid, own.placeholders, own)
        return Text(draw(st.text(max_size=20)), draw(placeholders), own)

    def block(depth=0):
        kind = draw(st.integers(0, 6 if depth < 2 else 3))
        if kind == 0:
            return Heading(draw(st.integers(1, 6)), text(), 1)
        if kind == 1:
            return Paragraph(text(), 2)
        if kind == 2:
            return Rule(3)
        if kind == 3:
            return Code(draw(st.text(max_size=4)), draw(st.text(max_size=20)), 4)
        if kind == 4:
            return Table(["left", ""], [text(), text()], [[text(), text()] for _ in range(draw(st.integers(0, 2)))], 5)
        if kind == 5:
            return Quote([block(depth + 1) for _ in range(draw(st.integers(0, 2)))], 6)
        items = [ListItem([block(depth + 1) for _ in range(draw(st.integers(0, 2)))], 7)
                 for _ in range(draw(st.integers(0, 2)))]
        return ListBlock(draw(st.booleans()), draw(st.integers(0, 9)), items, 8)

    blocks = [block() for _ in range(draw(st.integers(0, 5)))]
    meta = draw(st.dictionaries(st.text(max_size=6), values, max_size=4))
    return Document("g", "source/g.md", meta, {"title": text()} if draw(st.booleans()) else {}, blocks, segments)


@settings(max_examples=1500, deadline=None)
@given(documents())
def test_generated_documents_are_encoded_as_the_plain_route_encodes_them(doc):
    data = _same(doc)
    if data:   # decoded, it is the same Document again: encoded, the same bytes (a tuple comes back a list)
        again = codec.decode(data)
        assert codec.encode(again) == data
        assert [id(t.segment) for t in _texts(again) if t.segment in again.segments] == \
            [id(again.segments[doc.segments.index(t.segment)]) for t in _texts(doc) if t.segment in doc.segments]


def _texts(doc: Document) -> list[Text]:
    """The Texts of a document's blocks, in order (a Text's segment is shared with doc.segments)."""
    found = []

    def walk(value):
        if isinstance(value, Text):
            found.append(value)
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v)
        elif hasattr(value, "__dataclass_fields__") and not isinstance(value, Segment):
            for name in value.__dataclass_fields__:
                walk(getattr(value, name))
    walk(doc.blocks)
    walk(list(doc.meta_texts.values()))
    return found


@functools.lru_cache(maxsize=1)
def _encoded_guide() -> bytes:
    project = Project(REPO)
    guide = project.guides[0]
    return codec.encode(project._segment(project.source_path(guide), project.source_path(guide).read_bytes(), guide))


@pytest.mark.parametrize("planted", [
    ('{"Text":[', '{"Text":[1,'),                             # a field more than a Text has
    ('{"Text":[', '{"x":1,"Text":['),                          # a second key beside the tag
    ('{"Text":[', '{"Popen":['),                               # a type the model does not have
    ('{"segtext":0}', '{"segtext":99999}'),                    # a segment that is not there
    ('{"segtext":0}', '{"segtext":true}'),                     # a bool is no index
    ('{"segtext":0}', '{"segtext":"0"}'),                      # nor a string
    ('{"segtext":0}', '{"Text":["x",{},{"segref":99999}]}'),   # likewise, a Text's segment
    ('{"segtext":0}', '{"Text":["x",{},{"segref":true}]}'),
    ('{"segtext":0}', '{"segtext":0,"x":1}'),                  # a second key beside the tag
    ('{"dict":[[', '{"dict":[[0],['),                          # a dict's item that is no [key, value] pair
    ('{"dict":[[', '{"dict":{"a":1},"x":[['),                  # a dict written as an object
    ('{"segtext":0}', '{"Text":["x",{"a":"1"},null]}'),        # a dict not tagged "dict" (placeholders)
    ('{"segtext":0}', '{"Text":["x",{"a":"1","b":"2"},null]}'),   # likewise, two keys
    ('{"segtext":0}', '{"Text":["x",{}]}'),                    # a Text without its segment field
    ('"segments":[{"Segment":[', '"segments":[{"Segment":["x",1]},{"Segment":['),   # too few fields left
    # fields of another type than the model's (a sealed entry with a number for a segment's text crashed the build)
    ('"segments":[{"Segment":["', '"segments":[{"Segment":[7,"'),     # a number for a text
    ('{"Heading":[2,', '{"Heading":[true,'),                          # a bool is no level
    ('{"Heading":[2,', '{"Heading":[2.0,'),                           # nor a float
    ('{"Price":["USD",{"Decimal":"5000"}', '{"Price":["USD","5000"'),  # a string for an amount
    ('{"ListBlock":[false,1,[{"ListItem":', '{"ListBlock":[false,1,[{"Rule":[1]},{"ListItem":'),   # an item that is not
    ('{"ListBlock":[false,1,[{"ListItem":[[', '{"ListBlock":[false,1,[{"ListItem":[[[],'),  # a block that is not
    ('{"Table":[[', '{"Table":[[1,'),                                  # an alignment that is no string
    ('{"Table":[', '{"Table":[[],[],[[{"segtext":0},7]],1]},{"Table":['),   # a cell that is no Text
    ('"segments":[', '"segments":[7,'),                        # a leaf where a Segment goes
    ('"segments":[{"Segment"', '"segments":[{"Text"'),         # another model value where a Segment goes
])
def test_a_planted_cache_entry_is_refused_not_built(planted):
    """.cache/documents is a file anyone with the project folder can write: decode builds only the model's
    own types with exactly their fields, anything else is a ValueError (the guide is parsed again)."""
    data = _encoded_guide().decode()
    old, new = planted
    assert old in data, old
    with pytest.raises(ValueError):
        codec.decode(data.replace(old, new, 1).encode())


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_a_cut_or_spliced_cache_entry_is_a_value_error_or_a_document(data):
    raw = _encoded_guide()
    at = data.draw(st.integers(0, len(raw)))
    junk = data.draw(st.sampled_from([b"", b"1", b"null", b'"t"', b"[]", b"{}", b'{"dict":{}}', b'{"segref":0}', b'{"a":{}}', b","]))
    try:
        doc = codec.decode(raw[:at] + junk + raw[at + data.draw(st.integers(0, 40)):])
    except ValueError:
        return
    assert isinstance(doc, Document)


def test_what_a_process_derived_from_a_guide_is_neither_written_nor_read_back():
    """model.DERIVED is a process's memo of what it computed from a parse: whether a guide holds its disclaimer
    (verify_front._has_legal_text: then a page adds no disclaimer section), the facts an edition must show. Taken
    from a cache entry, a sealed entry (a shared WORKFLOW_CACHE_KEY) could tell the verification what it found."""
    project = Project(REPO)
    guide = project.guides[0]
    doc = project._segment(project.source_path(guide), project.source_path(guide).read_bytes(), guide)
    fresh = codec.encode(doc)
    doc.derived["workflow.editions.verify_front.legal"] = True
    doc.segments[0].derived["found"] = ["112"]
    data = codec.encode(doc)
    assert data == fresh
    again = codec.decode(data)
    assert again.derived == {} and again.segments[0].derived == {}
    assert data.endswith(b"]}}")   # the Document's fields, the Document, the entry
    planted = data[:-3] + b',{"dict":[["workflow.editions.verify_front.legal",true]]}]}}'
    with pytest.raises(ValueError):
        codec.decode(planted)
