"""Guide and language names are checked before anything touches disk."""
import re

from .model import WorkflowError

UI_DOMAIN = "ui"   # the catalog of interface strings shared by every guide (templates, facts registry)

_GUIDE = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_LANG = re.compile(r"^[a-z]{2,3}(?:_[A-Za-z]{2,4}|_[0-9]{3})?(?:@[a-z]+)?$")


def check_guide_name(name: str) -> str:
    if not isinstance(name, str) or not _GUIDE.fullmatch(name):
        raise WorkflowError(f"invalid guide name {name!r}: use lowercase letters, digits and '-' only")
    return name


def check_lang(code: str) -> str:
    if not isinstance(code, str) or not _LANG.fullmatch(code):
        raise WorkflowError(f"invalid language code {code!r}: expected a code like 'ja', 'zh_CN' or 'pt_BR'")
    return code
