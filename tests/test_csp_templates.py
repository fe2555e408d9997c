"""Every template satisfies the Content-Security-Policy (script-src 'self', style-src 'self'):
no inline <script>, no on…= handler, no style= attribute or <style> block, no javascript: URL,
no htmx feature that evaluates code. A new page that breaks the rule fails here, by name."""
import re
from pathlib import Path

import pytest

TEMPLATES = Path(__file__).resolve().parent.parent / "webapp" / "templates"

RULES = {
    "inline <script> (load a file from static/ with <script src>)":
        re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.I),
    "on…= event handler attribute (use a data- attribute handled in static/app.js)":
        re.compile(r"<[^>]*\son[a-z]+\s*=", re.I | re.S),
    "style= attribute (use a class in static/app.css)":
        re.compile(r"<[^>]*\sstyle\s*=", re.I | re.S),
    "<style> block (put the rules in static/*.css)": re.compile(r"<style\b", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
    "hx-on attribute (htmx evaluates it: needs unsafe-eval)": re.compile(r"\shx-on[:\-]", re.I),
    "htmx event filter [..] in hx-trigger (evaluated: needs unsafe-eval)":
        re.compile(r"hx-trigger\s*=\s*[\"'][^\"']*\[", re.I),
    "js: in hx-vals/hx-vars (evaluated)": re.compile(r"hx-(vals|vars)\s*=\s*[\"']\s*(js|javascript):", re.I),
}


def _templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


def _without_jinja_comments(text: str) -> str:
    return re.sub(r"\{#.*?#\}", "", text, flags=re.S)


@pytest.mark.parametrize("template", _templates(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_needs_nothing_the_policy_forbids(template):
    text = _without_jinja_comments(template.read_text(encoding="utf-8"))
    found = [f"line {text[:m.start()].count(chr(10)) + 1}: {rule}"
             for rule, pattern in RULES.items() for m in pattern.finditer(text)]
    assert not found, f"{template.relative_to(TEMPLATES)}: " + "; ".join(found)


def test_the_rules_catch_what_they_name():
    bad = ['<script>alert(1)</script>', '<button onclick="x()">', '<div style="color:red">',
           '<a href="javascript:x()">', '<div hx-on:click="x">', '<form hx-trigger="change[a]">']
    for sample in bad:
        assert any(p.search(sample) for p in RULES.values()), sample
    assert not any(p.search('<script src="/static/app.js" defer></script>') for p in RULES.values())


def test_htmx_is_told_not_to_inject_its_indicator_style():
    base = (TEMPLATES / "base.html").read_text(encoding="utf-8")
    assert '"includeIndicatorStyles":false' in base
    css = (TEMPLATES.parent / "static" / "app.css").read_text(encoding="utf-8")
    assert ".htmx-indicator" in css
