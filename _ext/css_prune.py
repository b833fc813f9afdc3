"""Drop from a stylesheet the rules no page of the site can use (a helper of css_bundle).

The theme's stylesheets style every component Bootstrap and pydata-sphinx-theme offer; this book
uses a few of them, and Lighthouse counted 89% of the bundle as unused on every page. A selector
is kept when every class, id, element name and attribute it names occurs as a word somewhere in
the site's pages or scripts (the words a script may add to the page at run time included), so a
selector that could match is never dropped. Rules left with no selector go, and so do the
at-rules left empty, ``@font-face`` and ``@keyframes`` that nothing kept names, and custom
properties (``--x: ...``) that no kept ``var(--x)``, page or script reads.

PurgeCSS does the first step from the same words; keeping only the custom properties in use too
makes the bundle smaller than PurgeCSS's (tests/test_css_bundle.py measures both).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import tinycss2
from tinycss2.ast import AtRule, Declaration, Node, QualifiedRule

WORD = re.compile(r"[A-Za-z_][\w-]*")
VAR = re.compile(r"var\(\s*(--[\w-]+)")
# Pseudo-classes and pseudo-elements, with a one-level argument: ":not(.x)", "::before", ":hover".
PSEUDO = re.compile(r"::?[\w-]+(?:\((?:[^()]|\([^()]*\))*\))?")
ATTRIBUTE = re.compile(r"\[\s*([\w-]+)[^\]]*\]")
NAMES = re.compile(r"([.#]?)(-?[_a-zA-Z][\w-]*)")
ALWAYS = {"html", "body", "root"}


def words(texts: Iterable[str]) -> set[str]:
    """Every word (class, id, tag or attribute name) the texts could put on a page."""
    found: set[str] = set()
    for text in texts:
        found.update(WORD.findall(text))
    return found


def selector_may_match(selector: str, used: set[str]) -> bool:
    """False only if ``selector`` names a class, id, element or attribute that ``used`` lacks.

    >>> used = {"div", "note", "data-theme", "dark"}
    >>> [selector_may_match(s, used) for s in ("div.note", ".tip", "[data-theme=dark] .note:hover", "*", "a")]
    [True, False, True, True, False]
    """
    if "\\" in selector:
        return True  # escaped names are rare here; keep rather than parse them
    attributes = ATTRIBUTE.findall(selector)
    bare = ATTRIBUTE.sub(" ", PSEUDO.sub(" ", selector))
    names = [name for _, name in NAMES.findall(bare)] + attributes
    return all(name in used or name in ALWAYS for name in names)


def _declarations_text(content: list[Node], unused_properties: set[str]) -> str:
    declarations = tinycss2.parse_blocks_contents(content, skip_comments=True, skip_whitespace=True)
    kept = []
    for d in declarations:
        if isinstance(d, Declaration):
            if d.name.startswith("--") and d.lower_name in unused_properties:
                continue
            value = tinycss2.serialize(d.value).strip()
            kept.append(f"{d.name}:{value}{'!important' if d.important else ''}")
        elif isinstance(d, (QualifiedRule, AtRule)):  # CSS nesting: keep as written
            kept.append(d.serialize())
    return ";".join(kept)


def _prune(rules: list[Node], used: set[str], unused_properties: set[str]) -> list[str]:
    out = []
    for rule in rules:
        if isinstance(rule, QualifiedRule):
            selectors = [s.strip() for s in tinycss2.serialize(rule.prelude).split(",")]
            if any("(" in s and ")" not in s for s in selectors):  # a comma inside :is(a, b)
                selectors = [tinycss2.serialize(rule.prelude).strip()]
            kept = [s for s in selectors if selector_may_match(s, used)]
            body = _declarations_text(rule.content, unused_properties)
            if kept and body:
                out.append(f"{','.join(kept)}{{{body}}}")
        elif isinstance(rule, AtRule):
            name, prelude = rule.lower_at_keyword, tinycss2.serialize(rule.prelude).strip()
            if name == "charset":
                continue
            if rule.content is None:
                out.append(f"@{rule.at_keyword} {prelude};")
            elif name in ("media", "supports", "layer", "container", "document"):
                inner = _prune(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True),
                               used, unused_properties)
                if inner:
                    out.append(f"@{rule.at_keyword} {prelude}{{{''.join(inner)}}}")
            elif name in ("font-face", "page", "property", "counter-style"):
                out.append(f"@{rule.at_keyword} {prelude}{{{_declarations_text(rule.content, set())}}}".replace(" {", "{"))
            else:  # keyframes and anything unknown: as written
                out.append(rule.serialize())
    return out


def _drop_unnamed(rules: list[str], kind: str, name_of: re.Pattern[str]) -> list[str]:
    """``rules`` without the ``@kind`` rules whose name no other rule mentions."""
    others = "".join(r for r in rules if not r.startswith(f"@{kind}"))
    return [r for r in rules if not r.startswith(f"@{kind}")
            or ((m := name_of.search(r)) and m.group(1).strip("\"' ") in others)]


def prune(css: str, content: Iterable[str]) -> str:
    """``css`` without what the pages and scripts in ``content`` cannot use, compactly written."""
    content = list(content)
    used = words(content)
    read_in_content = set(VAR.findall("".join(content))) | {m for t in content for m in re.findall(r"--[\w-]+", t)}
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    unused: set[str] = set()
    while True:  # a property only other unused properties read is unused too: repeat until stable
        text = "".join(_prune(rules, used, unused))
        read = set(VAR.findall(text)) | read_in_content
        declared = {m.lower() for m in re.findall(r"(--[\w-]+)\s*:", text)}
        newly = declared - read
        if not newly:
            break
        unused |= newly
    kept = _prune(rules, used, unused)
    kept = _drop_unnamed(kept, "keyframes", re.compile(r"@keyframes\s+([^{\s]+)"))
    kept = _drop_unnamed(kept, "font-face", re.compile(r"font-family:([^;}]+)"))
    return "\n".join(kept) + "\n"
