"""Whether this machine has the C compiler Python was built with: where it has, `make setup` must have built
every compiled route (setup.py's optional=True would otherwise fall back to the Python routes in silence)."""
from __future__ import annotations

import shlex
import shutil
import sysconfig


def compiler_found() -> bool:
    return shutil.which(shlex.split(sysconfig.get_config_var("CC") or "cc")[0]) is not None
