"""The UI strings read from the templates are kept in .cache/ui (catalogs/sources.ui_messages): what extract
writes to ui.pot and what check and build index ui.po by is the templates' text as it is now, whatever was
kept, and a kept entry that is not this installation's is never trusted."""
from __future__ import annotations

from workflow.catalogs import sources
from workflow.project import Project


def _fresh(project_dir, policy="fallback"):
    project = Project(project_dir)
    return sources._extract_ui_messages(project, policy)


def test_kept_messages_are_the_extracted_ones(project_dir):
    first = sources.ui_messages(Project(project_dir))
    assert list((project_dir / ".cache" / "ui").glob("*.json"))
    assert sources.ui_messages(Project(project_dir)) == first == _fresh(project_dir)


def test_an_edited_template_and_another_policy_are_read_again(project_dir):
    sources.ui_messages(Project(project_dir))
    template = project_dir / "templates" / "base.html"
    template.write_text(template.read_text(encoding="utf-8") + '\n<p>{{ _("A label added today") }}</p>\n',
                        encoding="utf-8")
    now = sources.ui_messages(Project(project_dir))
    assert "A label added today" in [m[0] for m in now] and now == _fresh(project_dir)
    refused = sources.ui_messages(Project(project_dir), "refuse")
    assert refused == _fresh(project_dir, "refuse") != now


def test_a_planted_entry_is_a_miss(project_dir):
    sources.ui_messages(Project(project_dir))
    for entry in (project_dir / ".cache" / "ui").glob("*.json"):
        entry.write_bytes(b'[["Skip to content", "templates/base.html", 1, []]]')
    assert sources.ui_messages(Project(project_dir)) == _fresh(project_dir)
