"""Hostile inputs that would exhaust memory or the stack are refused at their file and line, and only
what they are in is refused (README, "Limits on hostile input").

Every hostile case runs in a child process under RLIMIT_AS (LIMIT) and a timeout: on code without the
limits the child fails with MemoryError (or the timeout expires) and the test fails, instead of the
kernel killing CI and whatever else runs on the machine.
"""
from __future__ import annotations

import re
import resource
import subprocess
import sys

import pytest
import yaml
from hypothesis import given, settings, strategies as st
from jinja2.sandbox import SandboxedEnvironment

from workflow import safeyaml
from workflow.editions import frontmatter
from workflow.editions.sandbox import LimitedSandbox
from workflow.model import WorkflowError

from conftest import REPO

LIMIT = 1536 * 1024 * 1024   # the CLI on the project needs ~300 MiB; each bomb below wants several GiB


def run_limited(args: list[str], cwd=None, timeout: int = 240) -> subprocess.CompletedProcess:
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))
    return subprocess.run([sys.executable, *args], cwd=cwd, preexec_fn=limit, capture_output=True, text=True,
                          timeout=timeout)


def run_python(code: str, timeout: int = 240) -> str:
    """stdout of `code` in a limited child (which must exit 0: a MemoryError or RecursionError fails)."""
    done = run_limited(["-c", code], cwd=REPO, timeout=timeout)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def alias_bomb(levels: int = 12) -> str:
    """9**levels list items from a few hundred bytes of YAML."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def guide(front: str, body: str = "# Hello\n\nText.\n") -> str:
    return f"---\ntitle: Hostile\ndate: 2026-01-01\n{front}---\n{body}"


# --- YAML: one loader for every file -----------------------------------------------------------------------

def test_every_yaml_reader_goes_through_the_one_loader():
    for path in (REPO / "workflow").rglob("*.py"):
        if path.name != "safeyaml.py":
            text = path.read_text(encoding="utf-8")
            assert not re.search(r"(?<!\w)yaml\.(safe_load|load|full_load|unsafe_load|SafeLoader|Loader|compose)\b", text), \
                f"{path}: read YAML through workflow/safeyaml.py"


def test_alias_bomb_in_front_matter_is_refused_at_its_line():
    code = ("from workflow.editions import frontmatter\n"
            f"try:\n    frontmatter.split({guide(alias_bomb())!r}, 'source/bomb.md')\n"
            "except Exception as e:\n    print(type(e).__name__, e)\n")
    out = run_python(code)
    assert out.startswith("WorkflowError source/bomb.md:4: error:") and "anchors and aliases" in out, out


@pytest.mark.parametrize("name", ["facts.yaml", "glossary.yaml", "workflow.yaml"])
def test_alias_bomb_in_a_project_file_is_an_error_at_its_line(name, tmp_path):
    from conftest import copy_project
    project = copy_project(tmp_path / "project", languages=["ja"])
    path = project / name if name == "workflow.yaml" else project / "source" / name
    path.write_text(path.read_text(encoding="utf-8") + alias_bomb(), encoding="utf-8")
    line = path.read_text(encoding="utf-8").count("\n") - 12
    done = run_limited(["-m", "workflow", "--project", str(project), "check", "--lang", "ja"])
    shown = path.relative_to(project).as_posix()
    assert f"{shown}:{line}: error: malformed YAML: anchors and aliases" in done.stderr, done.stderr[-2000:]
    assert done.returncode in (1, 2), done.returncode


@pytest.mark.parametrize("text", ["title: " + "[" * 1000 + "]" * 1000, "title: " + "{a: " * 1000 + "1" + "}" * 1000,
                                  "".join(f"{'  ' * i}k{i}:\n" for i in range(100))])
def test_deep_front_matter_is_an_error_not_a_recursion_error(text):
    with pytest.raises(WorkflowError) as refused:
        frontmatter.split(f"---\n{text}\n---\nbody\n", "source/deep.md")
    assert f"nested deeper than {safeyaml.MAX_DEPTH} levels" in str(refused.value)
    assert re.match(r"source/deep\.md:\d+: error: ", str(refused.value))


def test_oversized_yaml_is_refused_before_parsing():
    with pytest.raises(WorkflowError, match=r"^source/facts\.yaml:1: error: YAML of \d+ characters, over the"):
        safeyaml.load("k: v\n" * (safeyaml.MAX_CHARS // 5 + 1), "source/facts.yaml", "facts")


@pytest.mark.parametrize("number", ["0x" + "f" * 20000, "0b" + "1" * 200000, ":".join(["59"] * 5000), "9" * 5000])
def test_an_integer_too_long_to_print_is_refused_at_its_line(number):
    # power-of-two bases and base 60 escape Python's 4,300-digit limit on int(str): the value then crashed
    # the first message or page that printed it (`check`: "unexpected ValueError ... a bug")
    with pytest.raises(WorkflowError, match=r"^source/facts\.yaml:2: error: .*integer"):
        safeyaml.load(f"a: 1\nb: {number}\n", "source/facts.yaml", "facts")


def _project_yaml_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in [REPO / "workflow.yaml", *(REPO / "source").glob("*.yaml")]]
    for path in (REPO / "source").glob("*.md"):
        text = path.read_text(encoding="utf-8")
        texts.append(text[4:text.index("\n---\n", 3) + 1])
    texts += [p.read_text(encoding="utf-8") for p in (REPO / "tests" / "data" / "config").glob("ok.*.yaml")]
    return texts


def test_the_loader_reads_the_project_files_as_pyyaml_does():
    for text in _project_yaml_texts():
        assert safeyaml.load(text, "x.yaml", "c") == yaml.safe_load(text)


_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=20),
                     st.floats(allow_nan=False), st.dates())
_DATA = st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                                          max_size=4), max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(_DATA, st.sampled_from([None, True, False]))
def test_the_loader_reads_generated_yaml_as_pyyaml_does(data, flow):
    text = yaml.safe_dump({"k": data}, default_flow_style=flow, allow_unicode=True)
    assert safeyaml.load(text, "x.yaml", "c") == yaml.safe_load(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab:-[]{}&*!|>'\"# \n\t,?", max_size=60))
def test_the_loader_raises_only_workflow_errors_and_agrees_when_it_accepts(text):
    try:
        ours = safeyaml.load(text, "x.yaml", "c")
    except WorkflowError as exc:
        assert exc.problems and exc.problems[0].path == "x.yaml"
        return
    assert ours == yaml.safe_load(text)


# --- the whole run: one hostile guide refuses that guide, the rest publishes ---------------------------------

def test_hostile_guides_are_refused_and_the_others_publish(tmp_path):
    from conftest import copy_project
    project = copy_project(tmp_path / "project", languages=["ja"])
    (project / "source" / "bomb.md").write_text(guide(alias_bomb()), encoding="utf-8")
    (project / "source" / "deep.md").write_text(guide("x: " + "[" * 1000 + "]" * 1000 + "\n"), encoding="utf-8")
    (project / "source" / "huge.md").write_text(guide("", "a\n\n" * 700_000), encoding="utf-8")
    done = run_limited(["-m", "workflow", "--project", str(project), "publish", "--lang", "ja", "--jobs", "1"],
                       timeout=600)
    assert done.returncode == 1, done.stderr[-2000:]
    shown = done.stdout + done.stderr
    assert "source/bomb.md:4: error: malformed front matter: anchors and aliases" in shown
    assert "source/deep.md:4: error: malformed front matter: nested deeper than" in shown
    assert re.search(r"source/huge\.md:1: error: guide of \d+ characters, over the \d+ limit", shown)
    published = sorted(p.stem for p in (project / "dist" / "ja" / "current").glob("*.md"))
    assert published == sorted(p.stem for p in (REPO / "source").glob("*.md")), published


# --- TMX: nesting ------------------------------------------------------------------------------------------

def test_deeply_nested_tmx_is_refused_at_its_line():
    code = ("from workflow.catalogs import tmx\n"
            "data = b'<tmx version=\"1.4\"><body><tu><tuv xml:lang=\"en\"><seg>\\n' + b'<a>' * 9_000_000"
            " + b'</a>' * 9_000_000 + b'</seg></tuv></tu></body></tmx>'\n"
            "try:\n    tmx.read_tmx(data, 'x.tmx')\nexcept Exception as e:\n    print(type(e).__name__, e)\n")
    out = run_python(code)
    assert out.startswith("WorkflowError x.tmx:2: error: elements nested deeper than 64 levels [tmx]"), out


# --- templates from pull requests: what a sandboxed template may build ----------------------------------------

HOSTILE_TEMPLATES = ["{{ 'a' * 10**10 }}", "{{ 'a' * n }}", "{{ 'a'.center(n) }}", "{{ 'a'|center(n) }}",
                     "{{ ['a'] * n }}", "{{ 9 ** n }}", "{{ '{:>999999999}'.format(1) }}", "{{ '{:>{}}'.format(1, n) }}",
                     "{{ '%999999999d' % 1 }}", "{{ 'a'|indent(n, true) }}", "{{ lipsum(n=n) }}",
                     "{% for i in range(100000) %}{% for j in range(100000) %}xxxxxxxx{% endfor %}{% endfor %}",
                     # growth that is not one `*`, `**` or `%` of a number (red team, round 7)
                     "{% set ns = namespace(x='a') %}{% for i in range(40) %}{% set ns.x = ns.x ~ ns.x %}{% endfor %}",
                     "{% set ns = namespace(x='a') %}{% for i in range(40) %}{% set ns.x = ns.x + ns.x %}{% endfor %}",
                     "{% set ns = namespace(x=2) %}{% for i in range(40) %}{% set ns.x = ns.x * ns.x %}{% endfor %}",
                     "{% set s = 'a' * 100000 %}{{ ([s] * 100000)|join|length }}",
                     "{% set s = 'a' * 100000 %}{{ s.replace('a', s)|length }}",
                     "{% set s = 'a' * 100000 %}{{ s|replace('a', s)|length }}",
                     "{% set s = 'a' * 100000 %}{{ s.join(s)|length }}",
                     "{% set s = 'a' * 100000 %}{{ ('{0}' * 30000).format(s)|length }}",
                     "{% set s = 'a' * 100000 %}{{ (('%(a)s' * 20000) % {'a': s})|length }}",
                     "{% set s = 'a' * 100000 %}{{ ('a ' * 50000)|wordwrap(1, wrapstring=s)|length }}",
                     "{{ '%*d' % (999999999, 1) }}", "{{ ('x\\n' * 50000)|indent(100000)|length }}",
                     "{{ ('\\t' * 100000).expandtabs(100000)|length }}",
                     "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}", "{% include 'loop.html' %}",
                     "{{ ('%(a)s' * 20000)|format(a='a' * 100000) }}",
                     "{% set ns = namespace(x='a' * 1000) %}{% for i in range(40) %}{% set ns.x = [ns.x, ns.x] %}"
                     "{% endfor %}{{ ns.x }}",
                     "{% set ns = namespace(x='a' * 1000) %}{% for i in range(40) %}{% set ns.x = [ns.x, ns.x] %}"
                     "{% endfor %}{{ ns.x|tojson }}",
                     "{% set ns = namespace(x='a' * 1000) %}{% for i in range(40) %}{% set ns.x = {'a': ns.x, 'b': ns.x} %}"
                     "{% endfor %}{{ ns }}",
                     "{{ range(100000)|map('center', 100000)|join|length }}",
                     "{{ range(100000)|map('center', 100000)|list|length }}",
                     "{% set d = {} %}{% for i in range(100000) %}{{ d.update({i: 'a' * 100000}) }}{% endfor %}",
                     "{% set l = [] %}{% for i in range(100000) %}{% for j in range(1000) %}"
                     "{{ l.append(('x' ~ i ~ j).center(1000)) }}{% endfor %}{% endfor %}",
                     "{{ (range(100000)|list)|tojson(indent=100000)|length }}",
                     "{% set s = 'a' * 100000 %}{{ s.join(range(100000)|map('string'))|length }}",
                     "{% set s = 'a' * 100000 %}{{ range(100000)|map('string')|join(s)|length }}",
                     "{% set s = 'a' * 100000 %}{{ s.translate({97: s})|length }}"]


def test_hostile_templates_are_refused_by_the_sandbox(tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "loop.html").write_text("{% include 'loop.html' %}", encoding="utf-8")
    for number, source in enumerate(HOSTILE_TEMPLATES):
        (folder / f"t{number}.html").write_text(source, encoding="utf-8")
    code = ("from pathlib import Path\nfrom workflow.editions.render import render_page\n"
            f"for number in range({len(HOSTILE_TEMPLATES)}):\n"
            "    try:\n"
            f"        render_page(Path({str(folder)!r}), f't{{number}}.html', str, n=10**9)\n"
            "        print(number, 'rendered')\n"
            "    except Exception as e:\n"
            "        print(number, type(e).__name__, e)\n")
    lines = run_python(code).splitlines()
    assert len(lines) == len(HOSTILE_TEMPLATES), lines
    for number, line in enumerate(lines):
        assert f"{number} WorkflowError templates/t{number}.html:1: error:" in line and "[template.sandbox]" in line, \
            (HOSTILE_TEMPLATES[number], line)


@pytest.mark.parametrize("source", ["{{ 'ab' * 3 }}{{ 3 * 'x' }}{{ [1] * 2 }}{{ 2 ** 10 }}{{ 7 % 3 }}{{ '%5.2f' % 3.14159 }}",
                                    "{{ 'x'|center(9) }}{{ 'abc def'|truncate(5, true, '') }}{{ '{:>4}|{}'.format(1, 2) }}",
                                    "{% for i in range(3) %}{{ loop.index }}{{ i|string|indent(2) }}{% endfor %}",
                                    "{{ 'a b'|wordwrap(79) }}{{ [1, 2, 3]|batch(2)|list }}{{ 1.2345|round(2) }}",
                                    "{% set ns = namespace(x='a') %}{% for i in range(3) %}{% set ns.x = ns.x ~ i %}"
                                    "{% endfor %}{{ ns.x + 'b' }}{{ [1] + [2] }}{{ 2 * 3 }}{{ ', '.join(['a', 'b']) }}"
                                    "{{ ['<', 'b']|join('-') }}{{ 'aXa'|replace('a', 'bb') }}{{ 'a\tb'.expandtabs(4) }}"
                                    "{{ '%(a)s%(a)s' % {'a': 'x'} }}{{ '%s'|format(1) }}{{ '{0}{0}'.format('y') }}"
                                    "{{ 'a\nb'|indent('> ') }}{{ 'a b c'|wordwrap(1, wrapstring='/') }}{{ ns }}"
                                    "{% macro m(x) %}<{{ x }}>{% endmacro %}{{ m('&') ~ m(1) }}{{ {'k': [1, 2]} }}"
                                    "{{ {'a': [1, {'b': '<x>'}]}|tojson(indent=2) }}{{ [1, 2]|tojson }}"])
def test_ordinary_templates_render_as_in_the_plain_sandbox(source):
    plain = SandboxedEnvironment(autoescape=True).from_string(source).render()
    assert LimitedSandbox(autoescape=True).from_string(source).render() == plain


def test_the_guide_limit_is_a_setting_read_at_its_line(tmp_path):
    from workflow.config import load_config
    from workflow.editions.segment import segment
    from workflow.editions.facts import Registry
    config = load_config("limits:\n  guide_kib: 1\n")
    text = guide("", "Call 119.\n\n" * 200)
    with pytest.raises(WorkflowError) as refused:
        segment(text, "source/long.md", "long", Registry.from_dict({}), config.guide_chars)
    assert "source/long.md:1: error: guide of" in str(refused.value) and "limits.guide_kib" in str(refused.value)
    assert segment(text, "source/long.md", "long", Registry.from_dict({}), load_config(None).guide_chars).segments
    with pytest.raises(WorkflowError) as bad:
        load_config("output: dist\nlimits:\n  guide_kib: 0\n")
    assert "workflow.yaml:3" in str(bad.value) and "1 to 16384" in str(bad.value)
