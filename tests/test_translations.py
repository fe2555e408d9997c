"""The interface is Chinese by default: every message in the code has a zh_CN translation."""
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[1]
# N_ marks the importer's messages, made outside requests and translated when a page shows them.
KEYWORDS = {"_": None, "gettext": None, "lazy_gettext": None, "_l": None, "N_": None,
            "ngettext": (1, 2), "lazy_ngettext": (1, 2)}


def messages_in_code() -> set[str]:
    found = set()
    methods = [("webapp/**.py", "python"), ("webapp/templates/**.html", "jinja2")]
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map=methods, keywords=KEYWORDS,
            options_map={"webapp/templates/**.html": {"extensions": "jinja2.ext.do"}}):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_message_has_a_chinese_translation():
    with open(ROOT / "webapp/translations/zh_CN/LC_MESSAGES/messages.po", "rb") as f:
        catalog = read_po(f)
    missing = sorted(m for m in messages_in_code()
                     if not (catalog.get(m) and catalog.get(m).string
                             and not catalog.get(m).fuzzy))
    assert not missing, f"{len(missing)} untranslated, e.g. {missing[:10]}"


PLACEHOLDER = re.compile(r"%\((\w+)\)[sdf]")


def test_translations_keep_the_placeholders_of_their_msgid():
    # A translation naming another parameter raises KeyError on the page that shows it.
    with open(ROOT / "webapp/translations/zh_CN/LC_MESSAGES/messages.po", "rb") as f:
        catalog = read_po(f)
    wrong = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = set(PLACEHOLDER.findall(ids[0]))
        if message.fuzzy or any(set(PLACEHOLDER.findall(s)) != wanted for s in strings if s):
            wrong.append(ids[0])
    assert not wrong, f"{len(wrong)} translations with other placeholders or fuzzy: {wrong[:5]}"
