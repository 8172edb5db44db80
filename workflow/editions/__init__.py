"""Editions: a guide in one language, from the parsed source to verified HTML, Markdown and JSON.

segment (Markdown -> Document), facts (protected values), frontmatter, localeformat (CLDR formats),
render (HTML and Markdown), verify (the rendered page against the source), edition (one edition).
Pure apart from loading page templates: no catalogs, no project, no publishing.
"""
