"""Guide and language names are checked before anything touches disk."""
import re

from .model import WorkflowError

UI_DOMAIN = "ui"   # the catalog of interface strings shared by every guide (templates, facts registry)

GUIDE_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
_LANG = re.compile(r"^[a-z]{2,3}(?:_[A-Za-z]{2,4}|_[0-9]{3})?(?:@[a-z]+)?$")


INDEX_PAGE = "index"   # each release's index.html and the link page dist/<lang>/index.html


def check_guide_name(name: str) -> str:
    if not isinstance(name, str) or not GUIDE_NAME.fullmatch(name):
        raise WorkflowError(f"invalid guide name {name!r}: use lowercase letters, digits and '-' only")
    if name == INDEX_PAGE:   # its index.html would be overwritten by the language's index, unseen
        raise WorkflowError(f"invalid guide name {name!r}: the language's index page has that name; rename "
                            f"{name}.md")
    return name


def gettext_form(code: str) -> str:
    """The gettext spelling of a BCP 47 or mis-cased code: 'JA' -> 'ja', 'zh-cn' -> 'zh_CN',
    'sr-latn' -> 'sr_Latn'. Only ever offered as a suggestion, never applied silently."""
    lang, _, rest = code.strip().replace("-", "_").partition("_")
    if not rest:
        return lang.lower()
    region = rest.upper() if len(rest) != 4 else rest.title()   # 4 letters: a script (Latn, Arab)
    return f"{lang.lower()}_{region}"


def check_lang(code: str) -> str:
    if not isinstance(code, str) or not _LANG.fullmatch(code):
        hint = ""
        if isinstance(code, str) and len(code) <= 20 and _LANG.fullmatch(gettext_form(code)):
            hint = f"; did you mean {gettext_form(code)!r}?"
        raise WorkflowError(f"invalid language code {code!r}: expected a code like 'ja', 'zh_CN' or 'pt_BR'{hint}")
    return code


def split_languages(value: str) -> list[str]:
    """`--lang ja,es` (and repeated `--lang`): one or more codes separated by commas."""
    return [code.strip() for code in value.split(",") if code.strip()]


def canonical_code(code: str) -> str:
    """zh_CN, sr_Latn, es_419: the region in capitals, a script in title case (BCP 47's spelling)."""
    base, sep, rest = code.partition("_")
    sub, at, modifier = rest.partition("@")
    sub = sub.upper() if len(sub) == 2 else sub.title() if len(sub) == 4 else sub
    return base + sep + sub + at + modifier
