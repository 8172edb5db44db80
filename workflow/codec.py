"""Parsed guides (model.Document) as JSON, for the cache: data read back, never code.

The cache used to hold pickles, and unpickling a planted file runs any code it names. JSON can only
produce dicts, lists, strings and numbers; `decode` then rebuilds only the model's own types, with
exactly their fields, and raises ValueError on anything else (the caller parses the guide again).
A Text's segment is written as its index in the Document's segments, so the decoded Document shares
Segment objects as the parsed one does.
"""
from __future__ import annotations

import dataclasses
import datetime
import json
from decimal import Decimal, InvalidOperation

from .model import (Code, Document, Fact, Heading, ListBlock, ListItem, Paragraph, Price, Quote, Rule,
                    Segment, Table, Text)

_TYPES = {cls.__name__: cls for cls in (Code, Document, Fact, Heading, ListBlock, ListItem, Paragraph, Price,
                                        Quote, Rule, Segment, Table, Text)}
_FIELDS = {name: tuple(f.name for f in dataclasses.fields(cls)) for name, cls in _TYPES.items()}


def encode(doc: Document) -> bytes:
    index = {id(seg): n for n, seg in enumerate(doc.segments)}

    def enc(value, top=False):
        if value is None or isinstance(value, (bool, int, float, str)):
            return value
        if isinstance(value, Segment) and not top and id(value) in index:
            return {"t": "segref", "v": index[id(value)]}
        if dataclasses.is_dataclass(value) and type(value).__name__ in _TYPES:
            return {"t": type(value).__name__, "v": {f: enc(getattr(value, f)) for f in _FIELDS[type(value).__name__]}}
        if isinstance(value, (list, tuple)):
            return [enc(v) for v in value]
        if isinstance(value, dict) and all(isinstance(k, str) for k in value):
            return {"t": "dict", "v": {k: enc(v) for k, v in value.items()}}
        if isinstance(value, Decimal):
            return {"t": "Decimal", "v": str(value)}
        if isinstance(value, datetime.datetime):
            return {"t": "datetime", "v": value.isoformat()}
        if isinstance(value, datetime.date):
            return {"t": "date", "v": value.isoformat()}
        raise ValueError(f"cannot encode {type(value).__name__}")

    fields = {f: [] if f == "segments" else enc(getattr(doc, f)) for f in _FIELDS["Document"]}
    body = {"segments": [enc(s, top=True) for s in doc.segments], "document": {"t": "Document", "v": fields}}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def decode(data: bytes) -> Document:
    """The Document `encode` wrote; ValueError for anything else (corrupt, foreign, other types)."""
    try:
        body = json.loads(data.decode("utf-8"))
        segments: list[Segment] = []

        def dec(value):
            if value is None or isinstance(value, (bool, int, float, str)):
                return value
            if isinstance(value, list):
                return [dec(v) for v in value]
            if not isinstance(value, dict) or set(value) != {"t", "v"}:
                raise ValueError("not an encoded value")
            kind, raw = value["t"], value["v"]
            if kind == "segref":
                if type(raw) is not int or not 0 <= raw < len(segments):
                    raise ValueError("bad segment reference")
                return segments[raw]
            if kind == "dict":
                return {str(k): dec(v) for k, v in raw.items()}
            if kind == "Decimal":
                return Decimal(raw)
            if kind in ("date", "datetime"):
                parse = datetime.date if kind == "date" else datetime.datetime
                return parse.fromisoformat(raw)
            if kind not in _TYPES or not isinstance(raw, dict) or tuple(raw) != _FIELDS[kind]:
                raise ValueError(f"unknown or malformed type {str(kind)[:20]!r}")
            return _TYPES[kind](**{k: dec(v) for k, v in raw.items()})

        for raw in body["segments"]:
            seg = dec(raw)
            if not isinstance(seg, Segment):
                raise ValueError("a segment is not a Segment")
            segments.append(seg)
        doc = dec(body["document"])
        if not isinstance(doc, Document):
            raise ValueError("not a Document")
        doc.segments = segments
        return doc
    except (KeyError, IndexError, TypeError, AttributeError, InvalidOperation, RecursionError,
            UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not a cached document: {type(exc).__name__}") from None
