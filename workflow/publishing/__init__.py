"""Publishing: the run that builds every edition and publishes each language that passes its gates.

builder (editions of a language from the checked catalogs, the content-hash edition cache, gates),
run (build in worker processes, publish language by language, write the report), store (release
folders: stage, verify against the manifest, switch the current link, roll back).
"""
