"""The reader's page, checked in a real headless Chromium (Debian's /usr/bin/chromium).

The bundles are built with the product's own `publish` in a temporary copy of
the project, served from 127.0.0.1, and opened at a phone viewport (390x844).
Screenshots are kept in artifacts/screenshots/ (git-ignored) for a human look.
"""
from __future__ import annotations

import json
import re
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import pytest

from browser_support import (CHROMIUM_ARGS, ensure_chromium, ensure_fonts, import_playwright,
                             serve_directory)

pytestmark = pytest.mark.browser

from conftest import REPO, copy_project
ARTIFACTS = REPO / "artifacts" / "screenshots"
WIDTH, HEIGHT = 390, 844


def _right_to_left(lang: str) -> bool:
    """CLDR's character order, as Babel gives it (en_XA, a pseudo-locale, reads like en)."""
    from babel import Locale, UnknownLocaleError
    try:
        locale = Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse(lang.split("_")[0])
    return locale.character_order == "right-to-left"
SOURCE_LANG = "en"


def _languages() -> list[str]:
    langs = [SOURCE_LANG]
    locales = REPO / "locales"
    if locales.is_dir():
        langs += sorted(p.name for p in locales.iterdir()
                        if p.is_dir() and p.name != "templates" and not p.name.startswith("."))
    return langs


def _guides() -> list[str]:
    return sorted(p.stem for p in (REPO / "source").glob("*.md"))


LANGS = _languages()
GUIDES = _guides()
PAGES = GUIDES + ["index"]


def lang_tag(lang: str) -> str:
    return lang.replace("_", "-")


# How the publication date must look in each language (en's own format is checked too).
DATE_CHECKS = {
    "ja": (lambda s: "年" in s and "月" in s and "日" in s, "a Japanese date with 年/月/日"),
    "zh_CN": (lambda s: "年" in s and "月" in s and "日" in s, "a Chinese date with 年/月/日"),
    "zh_Hans": (lambda s: "年" in s and "月" in s and "日" in s, "a Chinese date with 年/月/日"),
    "ar": (lambda s: re.search(r"[\u0600-\u06FF]", s) is not None, "an Arabic month name"),
    "es": (lambda s: re.search(r"\bde\b", s) is not None
           and re.search(r"[A-Z][a-z]+ \d", s) is None, "a Spanish date ('15 de enero de 2026')"),
    "en": (lambda s: re.search(r"[A-Z][a-z]+ \d{1,2}, \d{4}", s) is not None,
           "an English date ('January 15, 2026')"),
}


# --------------------------------------------------------------------------- fixtures

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Publish every language into a temporary copy of the project; return (dist, published)."""
    from workflow.cli import main

    tmp = copy_project(tmp_path_factory.mktemp("project"))
    main(["--project", str(tmp), "--quiet", "publish"])  # refused languages are simply absent
    dist = tmp / "dist"
    published = {lang for lang in LANGS if (dist / lang / "current" / "index.html").is_file()}
    report = dist / "report.json"
    if report.is_file():  # trust the report's verdict when it gives one
        statuses = {e["lang"]: e.get("status") for e in json.loads(report.read_text())["languages"]}
        published = {l for l in published if statuses.get(l, "published") == "published"}
    return dist, published


@pytest.fixture(scope="module")
def base_url(site):
    dist, _ = site
    with serve_directory(dist) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    executable = ensure_chromium()
    ensure_fonts()  # best effort, only for readable screenshots
    sync_api = import_playwright()
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def context(browser):
    ctx = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, device_scale_factor=1,
                              is_mobile=True, has_touch=True)
    yield ctx
    ctx.close()


class Opened:
    def __init__(self, page, errors, foreign):
        self.page, self.errors, self.foreign = page, errors, foreign


@pytest.fixture
def open_page(context, base_url, site):
    _, published = site
    pages = []

    def _open(lang: str, name: str) -> Opened:
        if lang not in published:
            pytest.skip(f"{lang} was not published (gates refused it)")
        page = context.new_page()
        pages.append(page)
        errors, foreign = [], []
        def on_console(m):
            source = (m.location or {}).get("url", "")
            # The browser's own probe for /favicon.ico (outside the bundle, host-level) is not
            # the page's fault; anything else logged as an error is.
            if m.type == "error" and source != f"{base_url}/favicon.ico":
                errors.append(f"console {m.type}: {m.text} ({source})")

        page.on("console", on_console)
        page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
        page.on("response", lambda r: errors.append(f"HTTP {r.status}: {r.url}")
                if r.status >= 400 else None)
        page.on("requestfailed", lambda r: errors.append(f"request failed: {r.url} {r.failure}"))
        page.on("request", lambda r: None if r.url.startswith(base_url) or r.url.startswith("data:")
                else foreign.append(r.url))
        response = page.goto(f"{base_url}/{lang}/current/{name}.html", wait_until="load")
        assert response is not None and response.ok, f"{lang}/{name}.html: HTTP {response and response.status}"
        page.evaluate("document.fonts.ready.then(() => true)")
        return Opened(page, errors, foreign)

    yield _open
    for p in pages:
        p.close()


# --------------------------------------------------------------------------- tests

# Every element of the emergency box against the box's inner edges and its parent's: a long label
# ("Ambulancia/Bomberos/Emergencias") must wrap inside the border, not run over it.
_EMERGENCY_OVERFLOW = """() => {
  const out = [];
  const name = el => el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ')[0] : '');
  for (const box of document.querySelectorAll('.emergency')) {
    const b = box.getBoundingClientRect(), cs = getComputedStyle(box);
    const left = b.left + parseFloat(cs.borderLeftWidth), right = b.right - parseFloat(cs.borderRightWidth);
    for (const el of box.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (!r.width && !r.height) continue;
      const p = el.parentElement.getBoundingClientRect();
      if (r.left < left - 0.5 || r.right > right + 0.5)
        out.push(`${name(el)} spans x ${r.left.toFixed(1)}..${r.right.toFixed(1)}, the box's inside ${left.toFixed(1)}..${right.toFixed(1)}: "${el.textContent.trim().slice(0, 40)}"`);
      else if (r.left < p.left - 0.5 || r.right > p.right + 0.5)
        out.push(`${name(el)} runs out of its ${name(el.parentElement)}: "${el.textContent.trim().slice(0, 40)}"`);
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible' && el.clientWidth)
        out.push(`${name(el)} content is ${el.scrollWidth}px wide in ${el.clientWidth}px`);
    }
  }
  return out;
}"""


# Anywhere on the page: a block whose content is wider than itself and shows it (overflow visible).
# Wide tables are meant to scroll inside .table-scroll, so they are left out.
_CONTENT_OVERFLOW = """() => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.table-scroll')) continue;
    const cs = getComputedStyle(el);
    if (cs.display === 'inline' || !el.clientWidth || cs.overflowX !== 'visible') continue;
    if (el.scrollWidth > el.clientWidth + 1)
      out.push(`${el.tagName.toLowerCase()}.${el.className} content ${el.scrollWidth}px in ${el.clientWidth}px: "${el.textContent.trim().slice(0, 40)}"`);
  }
  return out;
}"""


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("lang", LANGS)
def test_emergency_box_content_fits_inside_its_border(open_page, lang, name):
    page = open_page(lang, name).page
    overflows = page.evaluate(_EMERGENCY_OVERFLOW) + page.evaluate(_CONTENT_OVERFLOW)
    box = page.locator(".emergency").bounding_box()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)   # the whole width: what runs over the border shows
    page.screenshot(path=str(ARTIFACTS / f"{lang}-{name}-emergency.png"),
                    clip={"x": 0, "y": max(0, box["y"] - 8), "width": WIDTH, "height": box["height"] + 16})
    assert overflows == [], f"{lang}/{name} at {WIDTH}px: " + "; ".join(overflows)


def test_required_languages_published(site):
    _, published = site
    missing = {"en", "ja", "zh_CN", "en_XA"} & set(LANGS) - published
    assert not missing, f"complete languages not published: {sorted(missing)}"


def _ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.status == 200
    except OSError:
        return False


def _body_disclaimer_heading(dist: Path, guide: str) -> int | None:
    """Index, among the body's headings, of the English edition's disclaimer heading."""
    html = (dist / SOURCE_LANG / "current" / f"{guide}.html").read_text(encoding="utf-8")
    body = html.split('<div class="body">', 1)[-1]
    ids = re.findall(r"<h[1-6][^>]*\bid=\"([^\"]*)\"", body)
    hits = [i for i, anchor in enumerate(ids) if "disclaimer" in anchor.lower()]
    return hits[-1] if hits else None


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("lang", LANGS)
def test_reader_page(open_page, lang, name, site):
    site_dist = site[0]
    opened = open_page(lang, name)
    page = opened.page
    where = f"{lang}/{name}"
    url = page.url

    # Language and direction.
    html = page.evaluate("""() => ({lang: document.documentElement.getAttribute('lang'),
        dir: document.documentElement.getAttribute('dir'),
        computed: getComputedStyle(document.body).direction})""")
    assert (html["lang"] or "").lower() == lang_tag(lang).lower(), f"{where}: <html lang={html['lang']!r}>"
    want_dir = "rtl" if _right_to_left(lang) else "ltr"
    assert html["dir"] == want_dir and html["computed"] == want_dir, f"{where}: direction {html}"

    # Emergency numbers: visible, and at least its title and first number within the first screen.
    box = page.locator(".emergency")
    assert box.count() == 1, f"{where}: expected one .emergency box"
    assert box.is_visible(), f"{where}: .emergency not visible"
    bb = box.bounding_box()
    assert bb and bb["y"] < HEIGHT, f"{where}: .emergency starts at y={bb and bb['y']}"
    first = page.locator(".emergency .number").first
    fb = first.bounding_box()
    assert fb and fb["y"] + fb["height"] <= HEIGHT, f"{where}: first emergency number below the fold {fb}"

    # No horizontal scroll of the document; tables may scroll inside .table-scroll.
    widths = page.evaluate("""() => ({scroll: document.scrollingElement.scrollWidth,
        inner: window.innerWidth,
        wrappers: [...document.querySelectorAll('.table-scroll')].map(w => ({
            client: w.clientWidth, scroll: w.scrollWidth, right: w.getBoundingClientRect().right,
            overflow: getComputedStyle(w).overflowX})),
        stray: [...document.querySelectorAll('table')].filter(t => !t.closest('.table-scroll')).length})""")
    assert widths["scroll"] <= widths["inner"] + 1, f"{where}: document scrolls sideways {widths['scroll']}>{widths['inner']}"
    assert widths["stray"] == 0, f"{where}: table outside .table-scroll"
    for w in widths["wrappers"]:
        assert w["right"] <= widths["inner"] + 1, f"{where}: .table-scroll wider than the screen {w}"
        if w["scroll"] > w["client"] + 1:
            assert w["overflow"] in ("auto", "scroll"), f"{where}: wide table cannot scroll {w}"

    # Language switcher and hreflang alternates that resolve.
    alternates = page.eval_on_selector_all(
        'head link[rel="alternate"][hreflang]', "ls => ls.map(l => [l.hreflang, l.getAttribute('href')])")
    assert len(alternates) >= 2, f"{where}: hreflang links missing"
    assert lang_tag(lang).lower() in {h.lower() for h, _ in alternates}, f"{where}: no self hreflang"
    for hreflang, href in alternates:
        assert _ok(urljoin(url, href)), f"{where}: hreflang {hreflang} -> {href} is broken"
    switcher = page.locator("nav.languages a[hreflang]")
    assert switcher.count() >= 2, f"{where}: language switcher missing"
    assert page.locator("nav.languages a[aria-current='page']").count() == 1, f"{where}: switcher marks no current language"
    assert page.locator("nav.languages").is_visible()

    # Localized date.
    times = page.locator("main time")
    assert times.count() >= 1, f"{where}: no <time>"
    text = times.first.inner_text().strip()
    iso = times.first.get_attribute("datetime")
    assert text and text != iso, f"{where}: date not localized ({text!r})"
    if lang in DATE_CHECKS:
        check, what = DATE_CHECKS[lang]
        assert check(text), f"{where}: date {text!r} is not {what}"

    # Fallback to English is marked and announced.
    english = page.locator("main [lang='en']:not(.fallback-notice)").count()
    notice = page.locator(".fallback-notice")
    if notice.count():
        assert notice.first.is_visible(), f"{where}: fallback notice hidden"
        assert english > 0, f"{where}: fallback notice but no lang=en passages"
    if name != "index" and lang not in (SOURCE_LANG, "en_XA") and page.locator(".body [lang='en']").count():
        assert notice.count() == 1, f"{where}: English passages without a fallback notice"

    # Guides: the disclaimer comes at the end, after the guide's text.
    if name != "index":
        assert page.locator("article h1").count() == 1, f"{where}: one h1 expected"
        disclaimer = page.locator(".disclaimer")
        if disclaimer.count():
            assert disclaimer.count() == 1 and disclaimer.is_visible(), f"{where}: disclaimer hidden"
            last = page.evaluate("""() => { const d = document.querySelector('.disclaimer');
                const b = document.querySelector('article .body');
                return !!b && !!(b.compareDocumentPosition(d) & Node.DOCUMENT_POSITION_FOLLOWING)
                       && d.nextElementSibling === null; }""")
            assert last, f"{where}: disclaimer is not the last part of the guide"
        else:
            # The guide carries its own disclaimer in its text (the build then adds none):
            # find its heading by position (anchors are localized) and check it is near the end.
            index = _body_disclaimer_heading(site_dist, name)
            assert index is not None, f"{where}: no disclaimer at all"
            share = page.evaluate("""(i) => { const b = document.querySelector('article .body');
                const h = b.querySelectorAll('h1,h2,h3,h4,h5,h6')[i];
                const rb = b.getBoundingClientRect(), rh = h.getBoundingClientRect();
                return (rh.top - rb.top) / rb.height; }""", index)
            assert share >= 0.85, f"{where}: the guide's disclaimer is not at the end ({share:.0%} down)"

    # Nothing fetched from elsewhere (system fonts only), and a clean console.
    assert not opened.foreign, f"{where}: requests outside the site: {opened.foreign[:3]}"
    assert not opened.errors, f"{where}: " + "; ".join(opened.errors[:5])

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    # Screenshots for a human look: the first screen, the first table, the end of the page.
    # (Full-page shots of these ~20,000px pages are slow, so take the telling parts.)
    page.screenshot(path=str(ARTIFACTS / f"{lang}-{name}.png"))
    if page.locator(".table-scroll").count():
        page.evaluate("document.querySelector('.table-scroll').scrollIntoView({block: 'center'})")
        page.screenshot(path=str(ARTIFACTS / f"{lang}-{name}-table.png"))
    if name != "index":
        page.evaluate("window.scrollTo(0, document.scrollingElement.scrollHeight)")
        page.screenshot(path=str(ARTIFACTS / f"{lang}-{name}-end.png"))
        page.evaluate("window.scrollTo(0, 0)")

    # Print: the emergency box stays, the navigation goes, tables are not clipped.
    page.emulate_media(media="print")
    try:
        assert box.is_visible(), f"{where}: .emergency hidden in print"
        assert not page.locator("nav.languages").is_visible(), f"{where}: switcher printed"
        overflow = page.evaluate("""() => [...document.querySelectorAll('.table-scroll')]
            .map(w => getComputedStyle(w).overflowX)""")
        assert all(o == "visible" for o in overflow), f"{where}: tables clipped in print {overflow}"
    finally:
        page.emulate_media(media="screen")
    assert not opened.errors, f"{where}: " + "; ".join(opened.errors[:5])


def test_site_root_offers_live_languages_and_a_switcher_tap_lands_on_the_page(context, base_url, site):
    """A reader on a phone opens the site root, taps a language, then another language in its switcher:
    each tap ends on that language's page (through its link page), never on a 404."""
    dist, published = site
    page = context.new_page()
    failures = []
    page.on("response", lambda r: failures.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    try:
        assert page.goto(f"{base_url}/", wait_until="load").ok
        offered = page.eval_on_selector_all("main a[hreflang]", "ls => ls.map(l => l.getAttribute('lang'))")
        from workflow.project import Project
        pseudo = set(Project(dist.parent).config.pseudo_languages)      # en_XA: never offered to readers
        live = {p.name for p in dist.iterdir() if (p / "current").is_symlink()} - pseudo
        assert {lang_tag(l) for l in live} == set(offered) and lang_tag("ja") in offered and "ja" in published
        page.locator("main a[hreflang='ja']").click()
        page.wait_for_url(f"{base_url}/ja/current/index.html")
        assert page.evaluate("document.documentElement.lang") == "ja"
        page.locator("ul.guides a").first.click()
        page.wait_for_url(f"{base_url}/ja/current/*.html")
        guide = page.url.rsplit("/", 1)[1]
        page.locator("nav.languages a[hreflang='ar']").click()
        page.wait_for_url(f"{base_url}/ar/current/{guide}")
        assert page.evaluate("document.documentElement.dir") == "rtl"
        assert not failures, failures
    finally:
        page.close()
