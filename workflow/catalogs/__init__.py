"""Catalogs: the only code that reads and writes gettext PO files.

parser (strict PO syntax) and reader (plain entries) read what translators wrote; writer builds,
merges and writes catalogs with Babel; commands (extract, init, update) and pseudo write the project's
files; review reads a language's catalogs and runs the checks on them, keeping the results.
"""
