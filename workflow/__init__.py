"""Guide translation and publishing workflow: Markdown guides -> gettext catalogs -> verified localized bundles."""

__version__ = "0.1.0"
