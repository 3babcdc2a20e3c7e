"""The pages' dictionary: Chinese and English say the same things, and every key the
templates and views use exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

from service.web import i18n

WEB = Path(i18n.__file__).parent
KEY_USE = re.compile(r"""\bt\(\s*['"]([a-z0-9_.]+)['"]""")


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_chinese_and_english_have_the_same_keys():
    assert set(i18n.ZH) == set(i18n.EN)
    assert i18n.TEXTS == {"zh": i18n.ZH, "en": i18n.EN}


def test_both_languages_fill_in_the_same_values():
    for key, zh in i18n.ZH.items():
        assert _placeholders(zh) == _placeholders(i18n.EN[key]), key


def test_no_text_is_empty_and_chinese_is_chinese():
    for key in i18n.ZH:
        assert i18n.ZH[key].strip() and i18n.EN[key].strip(), key
    assert i18n.ZH["nav.inbox"] == "待办" and i18n.EN["nav.inbox"] == "Inbox"


def test_every_key_used_by_templates_and_views_exists():
    used = set()
    for path in list(WEB.glob("templates/*.html")) + list(WEB.glob("*.py")):
        used |= set(KEY_USE.findall(path.read_text(encoding="utf-8")))
    assert used, "no t('…') calls found"
    # `t('status.' ~ status)` builds keys: some key must carry the prefix
    missing = sorted(k for k in used if k not in i18n.ZH and not (
        k.endswith(".") and any(known.startswith(k) for known in i18n.ZH)))
    assert not missing, missing


def test_translate_falls_back_to_chinese_then_to_the_key():
    assert i18n.translate("en", "due.left", n=3) == "3 working days left"
    assert i18n.translate("zh", "due.left", n=3) == "还剩 3 个工作日"
    assert i18n.translate("fr", "nav.inbox") == "待办"
    assert i18n.translate("en", "no.such.key") == "no.such.key"
