"""Compiled routes (C, the Python C API only): each is a copy of a Python route's per-character work, which
stays beside it as the reference the tests compare it with and as the route taken where no C compiler was
found at install (optional=True: python:3.11-slim installs without gcc, on the Python routes)."""
from setuptools import Extension, setup

COMPILED: list[Extension] = [
    # editions/pagetext.py: a rendered page's text and its flat form, for the verification
    Extension("workflow.editions._pagetext", ["workflow/editions/_pagetext.c"], optional=True),
    # editions/mdhtml.py: the .md edition's parse-back read from pyromark's HTML
    Extension("workflow.editions._mdhtml", ["workflow/editions/_mdhtml.c"], optional=True),
    # editions/verify_markdown.py: which .md body the compiled parser reads (_compiled_body_py's decision)
    Extension("workflow.editions._mdroute", ["workflow/editions/_mdroute.c"], optional=True),
    # editions/visible.py: the numbers a reader sees in a text, and the characters the screen looks at
    Extension("workflow.editions._visible", ["workflow/editions/_visible.c"], optional=True),
    # catalogs/quick.py's scan of a clean catalog (quick.read_compiled; quick.read is the reference)
    Extension("workflow.catalogs._poscan", ["workflow/catalogs/_poscan.c"], optional=True),
]

setup(ext_modules=COMPILED)
