"""Readers never meet a missing page: after each coordinator operation (publish, pin, a new guide, a
partial publish, rollback, a removed guide, a refused language), every relative link of every page a
reader can reach in dist/ leads to a file that exists, and dist/index.html offers exactly the live
languages.

Pages are resolved the way a static server resolves them (http.server, file://): the URL path of
dist/fr/current/g.html keeps `current` as a folder, so `../../ja/g.html` is dist/ja/g.html.
"""
from __future__ import annotations

import json
import os
import posixpath
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markdown_it import MarkdownIt

from conftest import copy_project, untranslate
from workflow.cli import main

KNEE = "knee-osteoarthritis-stem-cells"
REFRESH = re.compile(r"^\s*\d+\s*;\s*url=(.+)$", re.I)


class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src"):
            if attrs.get(name) is not None:
                self.links.append(attrs[name])
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "refresh":
            found = REFRESH.match(attrs.get("content") or "")
            if found:
                self.links.append(found.group(1).strip())


def _markdown_links(text: str) -> list[str]:
    links = []
    for token in MarkdownIt("commonmark").parse(text):
        for child in [token, *(token.children or [])]:
            for name in ("href", "src"):
                if child.attrs.get(name):
                    links.append(str(child.attrs[name]))
    return links


def links_of(path: Path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        parser = _Links()
        parser.feed(text)
        return parser.links
    if path.suffix == ".md":
        return _markdown_links(text)
    if path.suffix == ".json":
        data = json.loads(text)
        return _markdown_links(data["markdown"]) if isinstance(data, dict) and "markdown" in data else []
    return []


def live_pages(dist: Path) -> list[str]:
    """Every page a reader can reach, as URL paths under dist/: the root chooser, the link pages and the
    files of each language's current release."""
    pages = ["index.html"] if (dist / "index.html").exists() else []
    for lang_dir in sorted(p for p in dist.iterdir() if p.is_dir() and not p.name.startswith(".")):
        pages += [f"{lang_dir.name}/{p.name}" for p in sorted(lang_dir.glob("*.html"))]
        if (lang_dir / "current").is_dir():
            pages += [f"{lang_dir.name}/current/{p.name}" for p in sorted((lang_dir / "current").iterdir())
                      if p.suffix in (".html", ".md", ".json")]
    return pages


def broken_links(dist: Path) -> list[str]:
    broken = []
    for page in live_pages(dist):
        for link in links_of(dist / page):
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path:   # tel:, data:, https://..., #anchor
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
            if target.startswith("../") or not os.path.isfile(dist / target):
                broken.append(f"{page} -> {link}")
    return broken


def live_languages(dist: Path) -> set[str]:
    return {p.name for p in dist.iterdir() if (p / "current").is_symlink()}


def chooser_languages(dist: Path) -> set[str]:
    """The languages dist/index.html offers, each checked to lead to its live index (through its link page)."""
    offered = {link.split("/")[0]: link for link in links_of(dist / "index.html") if link.endswith("/index.html")}
    for lang, link in offered.items():
        assert redirect_target(dist / link) == "current/index.html", link
    return set(offered)


def assert_no_broken_link(dist: Path, step: str) -> None:
    broken = broken_links(dist)
    assert not broken, f"after {step}: {len(broken)} links to missing pages, e.g. {broken[:5]}"
    assert chooser_languages(dist) == live_languages(dist), step


def redirect_target(page: Path) -> str | None:
    found = re.search(r'http-equiv="refresh" content="0; url=([^"]+)"', page.read_text(encoding="utf-8"))
    return found.group(1) if found else None


def test_every_link_of_every_live_page_resolves_through_coordinator_operations(tmp_path, monkeypatch, run_cli):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    project = copy_project(tmp_path / "project", languages=["ja", "zh_CN"])
    dist = project / "dist"
    assert main(["--project", str(project), "--quiet", "publish"]) == 0
    assert_no_broken_link(dist, "the first publish")
    assert live_languages(dist) == {"en", "ja", "zh_CN"}

    # a new guide while ja is pinned: ja has no page for it, the others do
    assert run_cli(project, "pin", "ja")[0] == 0
    text = (project / "source" / f"{KNEE}.md").read_text()
    (project / "source" / "new-guide.md").write_text(text.replace('title: "', 'title: "New: ', 1))
    assert run_cli(project, "extract")[0] == 0 and run_cli(project, "update")[0] == 0
    for lang in ("ja", "zh_CN"):
        untranslate(project / f"locales/{lang}/LC_MESSAGES/new-guide.po")
    assert run_cli(project, "--quiet", "publish")[0] == 1      # below the gate: stand-ins, exit 1
    assert (dist / "zh_CN/current/new-guide.html").exists() and not (dist / "ja/current/new-guide.html").exists()
    assert_no_broken_link(dist, "a new guide while ja is pinned")
    assert redirect_target(dist / "ja/new-guide.html") is None            # a chooser, not a redirect

    # ja publishes the guide: the same link from zh_CN's page now leads to it
    assert run_cli(project, "unpin", "ja")[0] == 0
    assert run_cli(project, "--quiet", "publish", "--lang", "ja")[0] == 1
    assert redirect_target(dist / "ja/new-guide.html") == "current/new-guide.html"
    assert_no_broken_link(dist, "ja publishing the new guide")

    # ja rolls back to the release without it
    assert run_cli(project, "rollback", "ja")[0] == 0
    assert not (dist / "ja/current/new-guide.html").exists()
    assert redirect_target(dist / "ja/new-guide.html") is None
    assert_no_broken_link(dist, "a rollback of ja")

    # a guide removed from the source, published in zh_CN only: ja and en still hold it
    (project / "source" / f"{KNEE}.md").unlink()
    assert run_cli(project, "extract")[0] == 0
    assert run_cli(project, "--quiet", "publish", "--lang", "zh_CN")[0] in (0, 1)
    assert not (dist / f"zh_CN/current/{KNEE}.html").exists() and (dist / f"ja/current/{KNEE}.html").exists()
    assert_no_broken_link(dist, "removing a guide in zh_CN only")

    # a language whose every guide is refused (coverage gate 100 %), then the whole project published
    config = project / "workflow.yaml"
    config.write_text(config.read_text().replace("language_gates:\n", "language_gates:\n  ja:\n    min_coverage: 1.0\n"
                                                 "    stand_in: source\n", 1))
    assert run_cli(project, "--quiet", "publish")[0] == 1
    assert_no_broken_link(dist, "a refused language and a full publish")
