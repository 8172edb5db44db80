"""Parsed guides (model.Document) as JSON, for the cache: data read back, never code.

The cache used to hold pickles, and unpickling a planted file runs any code it names. JSON can only
produce dicts, lists, strings and numbers; `decode` then rebuilds only the model's own types, with
exactly their fields, each of its annotated type (model.py's annotations are the schema), and raises ValueError
on anything else (the caller parses the guide again).

Layout: every JSON object is a tagged value with one key: {"Segment": [fields in dataclass order]} for a
model value (positional: no field names to parse again for each of ~900 values a guide; the trailing fields that
hold their default left out), {"dict": [[key, value], ...]} for a dict (its values tagged in turn; an empty one
bare: {}), {"Decimal": "1.5"}, {"date": iso}, {"datetime": iso}, {"segref": n} for a Text's segment, written as its
index in the Document's segments, so the decoded Document shares Segment objects as the parsed one does, and
{"segtext": n} for the Text the segmenter made with that segment (its msgid and placeholders, the same objects:
225 of a bench guide's 231 Texts; written whole, each repeated its segment's text and placeholders, and the
entry was 1.7 times as long). A list or a leaf is written as it is. A dict's
items are a list, not an object, so that every object but the top one is a tagged value: json's own parser hands
each to decode's hook as it completes (innermost first), and the hook cannot take a guide's front matter key
for a tag.
"""
from __future__ import annotations

import dataclasses
import datetime
import json
import types
import typing
from decimal import Decimal, InvalidOperation
from operator import attrgetter

from .model import (Code, Document, Fact, Heading, ListBlock, ListItem, Paragraph, Price, Quote, Rule,
                    Segment, Table, Text)

_TYPES = {cls.__name__: cls for cls in (Code, Document, Fact, Heading, ListBlock, ListItem, Paragraph, Price,
                                        Quote, Rule, Segment, Table, Text)}
# the fields written, in dataclass order: all but `derived` (model.DERIVED), what a process computed from the value
# (the verification's expected facts, whether a guide holds its disclaimer): a memo of that process, empty when a
# guide is parsed, and never taken from a cache entry (a sealed entry could otherwise tell a check what it found)
_MEMO = "derived"
_WRITTEN = {cls: tuple(f for f in dataclasses.fields(cls) if f.name != _MEMO) for cls in _TYPES.values()}
_FIELDS = {cls.__name__: tuple(f.name for f in fields) for cls, fields in _WRITTEN.items()}
_NO_SEGMENTS = _FIELDS["Document"].index("segments")   # written as [], the segments come first


def encode(doc: Document) -> bytes:
    """The Document as JSON: what encode_plain writes, byte for byte, with json's C encoder walking the
    lists and scalars (the plain route's one Python call per value was 16 % of `extract`, issue 17).

    The C encoder calls `default` for each model value and writes a dict or list as it is: so every field
    value is first made safe (_safe): a dict wrapped as encode_plain wraps it, a list holding a dict (meta)
    converted, anything else not plain (Decimal, dates, unknown types) handed to encode_plain's walk."""
    plain = _Plain({id(seg): n for n, seg in enumerate(doc.segments)})

    def safe(value):
        kind = type(value)
        if kind in _LEAVES:
            return value
        if kind is list or kind is tuple:
            return value if _LEAVES.issuperset(map(type, value)) else [safe(v) for v in value]
        if kind is dict and not value:   # most are (a text's placeholders, a value's derived facts): written bare
            return value
        if kind is dict and _STR.issuperset(map(type, value)):
            return {"dict": [[k, v if type(v) in _LEAVES else safe(v)] for k, v in value.items()]}
        return plain.enc(value)

    def model(value, top=False):
        kind = type(value)
        if kind is Segment and not top and id(value) in plain.index:
            return {"segref": plain.index[id(value)]}
        if kind is Text and (n := plain.own_text(value)) is not None:
            return {"segtext": n}
        if kind not in _MODEL:
            return plain.enc(value, top)
        name, get = _MODEL[kind]
        fields = get(value) if kind not in _TRIMMED else _trimmed(get(value), _DEFAULTS[kind])
        return {name: [v if type(v) in _LEAVES else safe(v) for v in fields]}

    fields = [safe(v) for v in _MODEL[Document][1](doc)]
    fields[_NO_SEGMENTS] = []
    body = {"segments": [model(s, top=True) for s in doc.segments], "document": {"Document": fields}}
    # check_circular off: a parsed guide is a tree (front matter comes through safeyaml, which refuses aliases), and
    # the encoder's marking of every list and object it enters was 12 % of encoding one
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=model,
                      check_circular=False).encode("utf-8")


def _getter(fields: tuple[str, ...]):
    """A model value's fields as a tuple, in one call (attrgetter of one name returns the value alone)."""
    get = attrgetter(*fields)
    return get if len(fields) > 1 else lambda value: (get(value),)


# exact types the C encoder writes as encode_plain does, or hands to `default` (the model's own classes)
_MODEL = {cls: (name, _getter(_FIELDS[name])) for name, cls in _TYPES.items()}
_LEAVES = frozenset({type(None), bool, int, float, str, *_MODEL})
_REQUIRED = object()


def _default(f: dataclasses.Field):
    if f.default is not dataclasses.MISSING:
        return f.default
    return f.default_factory() if f.default_factory is not dataclasses.MISSING else _REQUIRED


# each model type's field defaults in order (_REQUIRED for a field without one): trailing fields at their default
# are not written (most Segments have no placeholders, context or legal text: of the 3 objects json's parser handed
# to decode's hook per Segment, 2 were empty dicts, its placeholders and derived), and the class fills them in;
# _TRIMMED: the types whose last field has a default (the others are written whole without looking)
_DEFAULTS = {cls: tuple(_default(f) for f in _WRITTEN[cls]) for cls in _MODEL}
_TRIMMED = frozenset(cls for cls, defaults in _DEFAULTS.items() if defaults[-1] is not _REQUIRED)


def _trimmed(values: tuple, defaults: tuple) -> tuple:
    """values less its trailing ones that are their field's default (of the default's very type: 0 is no False)."""
    end = len(values)
    while end and (default := defaults[end - 1]) is not _REQUIRED and type(values[end - 1]) is type(default) \
            and values[end - 1] == default:
        end -= 1
    return values if end == len(values) else values[:end]


_STR = frozenset({str})


class _Plain:
    """encode_plain's walk: one Python call per value (the reference, and the route for what is not plain)."""

    def __init__(self, index: dict[int, int]):
        self.index = index

    def own_text(self, text: Text) -> int | None:
        """The index of the listed segment whose own Text this is (the segmenter's: that segment's msgid and
        placeholders, the very objects), or None: such a Text is written as its segment's index alone."""
        seg = text.segment
        if seg is None or id(seg) not in self.index or text.template is not seg.msgid \
                or text.placeholders is not seg.placeholders:
            return None
        return self.index[id(seg)]

    def enc(self, value, top=False):
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        if isinstance(value, Segment) and not top and id(value) in self.index:
            return {"segref": self.index[id(value)]}
        if isinstance(value, Text) and (n := self.own_text(value)) is not None:
            return {"segtext": n}
        if dataclasses.is_dataclass(value) and type(value).__name__ in _TYPES:
            cls = _TYPES[type(value).__name__]
            fields = _trimmed(tuple(getattr(value, f) for f in _FIELDS[cls.__name__]), _DEFAULTS[cls])
            return {cls.__name__: [self.enc(v) for v in fields]}
        if isinstance(value, (list, tuple)):
            return [self.enc(v) for v in value]
        if isinstance(value, dict) and not value:
            return {}
        if isinstance(value, dict) and all(isinstance(k, str) for k in value):
            return {"dict": [[k, self.enc(v)] for k, v in value.items()]}
        if isinstance(value, Decimal):
            return {"Decimal": str(value)}
        if isinstance(value, datetime.datetime):
            return {"datetime": value.isoformat()}
        if isinstance(value, datetime.date):
            return {"date": value.isoformat()}
        raise ValueError(f"cannot encode {type(value).__name__}")


def encode_plain(doc: Document) -> bytes:
    """The plain route of encode (kept as its reference: tests/test_codec.py)."""
    plain = _Plain({id(seg): n for n, seg in enumerate(doc.segments)})
    fields = [[] if f == "segments" else plain.enc(getattr(doc, f)) for f in _FIELDS["Document"]]
    body = {"segments": [plain.enc(s, top=True) for s in doc.segments], "document": {"Document": fields}}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _kinds(hint) -> frozenset:
    """The exact types a value of this annotation may be (an int is no bool: JSON's true is refused for a line)."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return frozenset().union(*map(_kinds, typing.get_args(hint)))
    return frozenset({typing.get_origin(hint) or hint})


def _items_check(hint):
    """For list[X] or dict[str, X]: a check that each item (each value) is an X, or None (nothing to check)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is list:
        kinds, deeper = _kinds(args[0]), _items_check(args[0])
        if deeper is None:
            return lambda value: kinds.issuperset(map(type, value))
        return lambda value: kinds.issuperset(map(type, value)) and all(map(deeper, value))
    if origin is dict:   # keys: strings, as the "dict" tag's pairs are checked
        kinds = _kinds(args[1])
        return lambda value: kinds.issuperset(map(type, value.values()))
    return None


def _maker(cls):
    """make(raw): the model value of these written fields, or ValueError when one is not of its annotated type.

    Its source is made here from the model's annotations (as dataclasses makes an __init__): one `type(raw[i]) is
    T` a field, no call. The same checks by data (a tuple of the fields' types looked up in the set of allowed
    ones) cost a quarter of decoding a guide: calling `type` through map is ~800 instructions a value."""
    hints = typing.get_type_hints(cls)
    names = {"cls": cls, "ValueError": ValueError}
    least, most = _DEFAULTS[cls].count(_REQUIRED), len(_WRITTEN[cls])
    tests = []
    for n, f in enumerate(_WRITTEN[cls]):
        kinds = _kinds(hints[f.name])
        if len(kinds) == 1:
            names[f"T{n}"], = kinds
            test = f"type(raw[{n}]) is T{n}"
        else:
            names[f"K{n}"] = kinds
            test = f"type(raw[{n}]) in K{n}"
        if (check := _items_check(hints[f.name])) is not None:
            names[f"I{n}"] = check
            test += f" and I{n}(raw[{n}])"
        tests.append(test if n < least else f"(n <= {n} or {test})")
    source = (f"def make(raw):\n"
              f"    n = len(raw)\n"
              f"    if {least} <= n <= {most} and {' and '.join(tests)}:\n"
              f"        return cls(*raw)\n"
              f"    raise ValueError('malformed {cls.__name__}')\n")
    # (names: the model's types and checks, nothing of an entry; the file name tells a profile whose maker it is)
    exec(compile(source, f"<codec make {cls.__name__}>", "exec"), names)
    return names["make"]


# a model type's maker, by tag: a cache entry is untrusted even sealed (a shared WORKFLOW_CACHE_KEY), and a
# Segment whose text was a number crashed the build it was handed to
_MAKE = {name: _maker(cls) for name, cls in _TYPES.items()}


def _object_hook(made: list[Segment], tops: list[dict], referred: list[int]):
    """decode's hook: json's parser calls it for each object once its values are built (a Python walk over every
    value after loads was two thirds of decoding a guide), and a tagged value becomes what it stands for."""
    def tagged(value: dict):
        if len(value) != 1:
            if not value:
                return value   # an empty dict, written bare (a new one per object: nothing shared)
            if len(value) == 2 and "segments" in value and "document" in value:
                tops.append(value)
                return value
            raise ValueError("not an encoded value")
        tag, raw = value.popitem()   # (the tagged dict is dropped: popitem is the cheapest way to its one item)
        make = _MAKE.get(tag)
        if make is not None:   # a model value: its fields in order, the trailing ones at their default left out
            if type(raw) is not list:
                raise ValueError(f"malformed {tag}")
            built = make(raw)
            if type(built) is Segment:
                made.append(built)
            return built
        if tag == "segref" or tag == "segtext":
            if type(raw) is not int or not 0 <= raw < len(made):
                raise ValueError("bad segment reference")
            if raw > referred[0]:
                referred[0] = raw
            seg = made[raw]
            return seg if tag == "segref" else Text(seg.msgid, seg.placeholders, seg)
        if tag == "dict" and type(raw) is list:
            if not all(type(item) is list and len(item) == 2 and type(item[0]) is str for item in raw):
                raise ValueError("malformed dict")
            return dict(raw)
        if type(raw) is not str:
            raise ValueError(f"unknown or malformed type {str(tag)[:20]!r}")
        if tag == "Decimal":
            return Decimal(raw)
        if tag in ("date", "datetime"):
            parse = datetime.date if tag == "date" else datetime.datetime
            return parse.fromisoformat(raw)
        raise ValueError(f"unknown or malformed type {str(tag)[:20]!r}")
    return tagged


def decode(data: bytes) -> Document:
    """The Document `encode` wrote; ValueError for anything else (corrupt, foreign, other types)."""
    # every Segment built, in the order its object ended (the segments first, then any a Text holds that the
    # document does not list, written whole); the top objects; the highest segment index referred to
    made, tops, referred = [], [], [-1]
    try:
        body = json.loads(data.decode("utf-8"), object_hook=_object_hook(made, tops, referred))
        # the one top object, ended last; its segments exactly the first Segments built (one built before them
        # would have shifted the references), and every reference one of them
        if len(tops) != 1 or body is not tops[0] or type(body["segments"]) is not list:
            raise ValueError("not a cached document")
        segments = body["segments"]
        if len(segments) > len(made) or any(seg is not one for seg, one in zip(segments, made)):
            raise ValueError("a segment is not a Segment")
        if referred[0] >= len(segments):
            raise ValueError("bad segment reference")
        doc = body["document"]
        if type(doc) is not Document:
            raise ValueError("not a Document")
        doc.segments = segments
        return doc
    except (KeyError, IndexError, TypeError, AttributeError, InvalidOperation, RecursionError,
            UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not a cached document: {type(exc).__name__}") from None
