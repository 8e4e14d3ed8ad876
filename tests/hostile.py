"""A copy of the project with one editor's mistake of every kind, and where each must be reported.

Used by tests/test_safety.py: one build must report all of them together. Each
expected line is `file:line: field: ` followed by the start of the message.
"""

from __future__ import annotations

from pathlib import Path

BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip(["", *"abcdefgh"], "abcdefghi", strict=True)
)


def _edit(path: Path, old: str, new: str, count: int = 1) -> int:
    """Replace `old` by `new` in the file; return the 1-based line of the first change."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def spoil_data(project: Path) -> list[str]:
    """Make the data's mistakes; return the start of the line each must be reported as (`file:line: field:`)."""
    data = project / "data"
    expected = []
    # data: script through Markdown, attribute lists, URLs, numbers, dates, countries, pages
    line = _edit(data / "coalitions.yml", '{fr: "Violence sexiste"', '{fr: "[a](javascript:alert(1))"')
    expected.append(f"data/coalitions.yml:{line}: coalitions[gender-based-violence].name.fr: links may only use")
    line = _edit(
        data / "coalitions.yml", 'en: "Economic', 'en: "*word*{: tabindex=0 autofocus onfocus=alert(4) } Economic'
    )
    expected.append(f"data/coalitions.yml:{line}: coalitions[economic-justice-and-rights].name.en: attribute lists in data text")
    line = _edit(data / "coalitions.yml", 'en: "Bodily', 'en: "<img src=x onerror=alert(3)> Bodily')
    expected.append(f"data/coalitions.yml:{line}: coalitions[bodily-autonomy-and-srhr].name.en: raw HTML (<img src=x onerror=alert(3)>)")
    line = _edit(
        data / "bibliography.yml",
        'url: "https://preventgbv.org/"',
        'url: "https://example.org/)[clic](javascript:alert(2))"',
    )
    expected.append(f"data/bibliography.yml:{line}:")
    line = _edit(data / "collectives.yml", 'launched: "2021-07"', 'launched: "2021-02-30"')
    expected.append(f'data/collectives.yml:{line}: collectives[global-alliance-for-care].launched: "2021-02-30" is not a date')
    line = _edit(data / "collectives.yml", "count: 40", "count: -40")
    expected.append(f"data/collectives.yml:{line}: collectives[global-alliance-for-care].membership[1].count: -40 is out of range")
    line = _edit(data / "survey-2023.yml", "value: 82", "value: 182")
    expected.append(f"data/survey-2023.yml:{line}: figures[makers-csos-governments-multilaterals].value: 182 is out of range")
    line = _edit(data / "c189-ratifications.yml", "country: UY", "country: ZZ")
    expected.append(f'data/c189-ratifications.yml:{line}: ratifications[1].country: "ZZ" is not an ISO 3166-1')
    line = _edit(
        data / "timeline.yml", "page: social-movements/domestic-workers.md", "page: social-movements/nowhere.md"
    )
    expected.append(f'data/timeline.yml:{line}: events[2010-care-latin-america].page: there is no page "social-movements/nowhere.md"')
    line = _edit(data / "labels.yml", "  last_updated: {", "  last_updatedd: {")
    expected.append('data/labels.yml: labels.last_updated: templates/parts/page-sources.md prints the label "last_updated"')
    (data / "notes.yml").write_text("# notes\n" + BOMB, encoding="utf-8")
    expected.append("data/notes.yml:2: anchors and aliases (&name, *name) are not allowed")
    return expected


def spoil_pages(project: Path) -> list[str]:
    """Make the pages' mistakes; return the start of the line each must be reported as."""
    fr, en = project / "content" / "fr", project / "content" / "en"
    expected = []
    # pages: script, handlers, javascript: links, front matter, encoding, links, anchors
    page = fr / "about.md"
    text = page.read_text(encoding="utf-8")
    lines = text.count("\n")
    page.write_text(
        text
        + "\n<script>alert(5)</script>\n\n<img src=x onerror=alert(6)>\n\n[clic](javascript:alert(7))\n\n"
        + "[lien cassé](nowhere.md)\n\n[ancre](glossary.md#no-such-anchor)\n",
        encoding="utf-8",
    )
    expected += [
        f"content/fr/about.md:{lines + 2}: a <script> element is not allowed",
        f"content/fr/about.md:{lines + 4}: the attribute onerror=",
        f"content/fr/about.md:{lines + 6}: links may only use",
        f"content/fr/about.md:{lines + 8}: link: the link to nowhere.md leads nowhere",
        f"content/fr/about.md:{lines + 10}: link: the section #no-such-anchor does not exist in content/fr/glossary.md",
    ]
    _edit(en / "about.md", "description: ", "description: [broken: yaml")
    expected.append("content/en/about.md:2: front matter: this is not valid YAML")
    page = en / "glossary.md"
    text = page.read_text(encoding="utf-8")
    page.write_bytes(text.replace("\n\n", "\n\nCafé crème\n\n", 1).encode("latin-1", errors="replace"))
    line = text[: text.index("\n\n")].count("\n") + 3
    expected.append(f"content/en/glossary.md:{line}: this line is not UTF-8 text")
    return expected
