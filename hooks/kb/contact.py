"""Who is behind the site and how to reach them: the repository, a prefilled issue or an email to
report a mistake, the publisher. Only what the configuration says: `repo_url` (REPO_URL) and
`extra.kb.publisher` / `extra.kb.contact_email` in mkdocs.yml; a link appears only when its
address is known. Every link is a plain link: nothing is asked of any host until it is clicked.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode, urlsplit

from . import text


def site_contact(repo_url: str | None, extra_kb: dict, lang: str, source: str) -> dict:
    """The addresses the about page and the foot of every page may show (None when unknown)."""
    repo = (repo_url or "").rstrip("/") or None
    # a prefilled issue: GitHub's form (issues/new?title=…&body=…)
    issues = f"{repo}/issues/new" if repo and urlsplit(repo).netloc.lower() == "github.com" else None
    publisher = extra_kb.get("publisher") or None
    if publisher:
        name = publisher.get("name")
        name = text.plain(name, lang, source) if isinstance(name, dict) else name
        publisher = {"name": name, "url": publisher.get("url")} if name else None
    return {"repo": repo, "issues": issues, "publisher": publisher, "email": extra_kb.get("contact_email") or None}


def report_links(site: dict, words: dict, title: str, address: str) -> list[tuple[str, str]]:
    """(text, href) of each way to report a mistake on a page: a prefilled issue, an email.
    `words`: the labels report_mistake, report_by_email, report_title, report_page,
    report_wrong, report_fix in the page's language."""
    subject = words["report_title"].replace("{title}", title)
    body = f"{words['report_page']}{words['colon']} {address}\n\n{words['report_wrong']}{words['colon']}\n\n\n{words['report_fix']}{words['colon']}\n"
    links = []
    if site.get("issues"):
        links.append((words["report_mistake"], site["issues"] + "?" + urlencode({"title": subject, "body": body})))
    if site.get("email"):
        query = f"subject={quote(subject, safe='')}&body={quote(body, safe='')}"
        links.append((words["report_by_email"], f"mailto:{site['email']}?{query}"))
    return links
