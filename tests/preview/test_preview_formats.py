"""The Markdown and HTML renderers beyond the golden plan: size limits, escaping, sanitising."""

from __future__ import annotations

import re
from dataclasses import replace

from pd_sync.plan import Conflict, FieldChange, Plan, UpdateAssignment, UpdatePage
from pd_sync.preview.html_report import render_html, sanitise
from pd_sync.preview.markdown_report import COMMENT_LIMIT, marker_line, render_markdown
from pd_sync.preview.text import html_to_text, render_text, terminal_lines, wrap_line

HOSTILE = "</summary></details><script>alert(1)</script> | `x` **y**"


def _page_update(number: int, paragraphs: int = 30) -> UpdatePage:
    old = "".join(f"<p>Paragraph {i} of page {number}, as Canvas has it.</p>" for i in range(5))
    new = "".join(f"<p>Paragraph {i} of page {number}, rewritten.</p>" for i in range(paragraphs))
    return UpdatePage(
        key=f"page-{number}",
        url=f"page-{number}",
        title=f"Page {number}",
        changes=(FieldChange("body", "sha256:old", "sha256:new"),),
        new_url=f"page-{number}",
        body=new,
        old_body=old,
        reason="body changed in the curriculum",
    )


def _plan(*actions: object) -> Plan:
    return Plan(course_id=5, time_zone="America/Denver", actions=tuple(actions))  # type: ignore[arg-type]


def _omitted(markdown: str) -> tuple[int, int]:
    details = re.search(r"etails of (\d+) changes? omitted", markdown)
    listed = re.search(r"(\d+) more changes? not listed", markdown)
    return (int(details[1]) if details else 0, int(listed[1]) if listed else 0)


def test_huge_plan_drops_details_first_and_says_how_many() -> None:
    plan = _plan(*(_page_update(n) for n in range(600)))
    markdown = render_markdown(plan, "big")
    assert len(markdown) <= COMMENT_LIMIT
    assert markdown.startswith(marker_line("big") + "\n")
    assert "| page | 0 | 600 | 0 | 0 |" in markdown  # the counts table is always whole
    opened = markdown.count("<details>")
    assert opened == markdown.count("</details>") and 0 < opened < 600
    omitted, unlisted = _omitted(markdown)
    assert (omitted, unlisted) == (600 - opened, 0)
    one_liners = re.findall(r"^- `~` page \*\*Page (\d+)\*\*", markdown, re.M)
    assert len(one_liners) == omitted
    assert one_liners[0] == str(opened) and one_liners[-1] == "599"  # the last ones lose details
    assert "run `pd-sync plan` for the full plan" in markdown


def test_enormous_plan_lists_what_fits_and_counts_the_rest() -> None:
    plan = _plan(*(_page_update(n, paragraphs=1) for n in range(5000)))
    markdown = render_markdown(plan, "huge")
    assert len(markdown) <= COMMENT_LIMIT
    assert "<details>" not in markdown
    omitted, unlisted = _omitted(markdown)
    listed = len(re.findall(r"^- `~` page ", markdown, re.M))
    assert omitted == 5000 and 0 < listed < 5000 and listed + unlisted == 5000


def test_markdown_fits_a_given_limit_exactly_when_asked() -> None:
    plan = _plan(*(_page_update(n) for n in range(20)))
    full = render_markdown(plan, "c")
    assert len(render_markdown(plan, "c", limit=len(full))) == len(full)
    assert len(render_markdown(plan, "c", limit=len(full) - 1)) <= len(full) - 1


def test_markdown_escapes_names_and_fences_bodies_safely() -> None:
    body = "<p>Use ```` four backticks ```` here</p>"
    action = replace(_page_update(1), title=HOSTILE, body=body, old_body="<p>old</p>")
    markdown = render_markdown(_plan(action), "c--> <b>")
    outside_code = re.sub(r"^(`{3,})diff\n.*?^\1$", "", markdown, flags=re.M | re.S)
    assert "<script>" not in outside_code and "&lt;script&gt;" in outside_code
    assert "alert(1)" in markdown.split("`````diff")[1]  # literal inside the diff block
    assert markdown.splitlines()[0] == "<!-- pd-sync-plan cohort=c- -> <b> -->"
    fence = re.search(r"^(`+)diff$", markdown, re.M)
    assert fence is not None and len(fence[1]) == 5
    assert outside_code.count("<details>") == outside_code.count("</details>") == 1


def test_markdown_for_no_changes() -> None:
    plan = Plan(1, "UTC", (), up_to_date=(("page", "Week 1"), ("page", "Week 2")))
    markdown = render_markdown(plan, "c")
    assert "**No changes: the course matches the curriculum.**" in markdown
    assert "2 objects checked, all up to date." in markdown
    assert "<details>" not in markdown and "| object type" not in markdown


def test_sanitise_keeps_text_markup_and_drops_everything_active() -> None:
    dirty = (
        '<h2 onclick="x()">Title</h2><script>alert(1)</script><style>p{}</style>'
        '<p style="background:url(https://evil.example/x.png)">Text <a href="javascript:x()">j</a>'
        ' <a href="https://example.edu/a">ok</a></p><img src="https://evil.example/i.png">'
        '<iframe src="https://evil.example"></iframe><object data="x"></object>'
    )
    clean = sanitise(dirty)
    assert "<h2>Title</h2>" in clean and "Text" in clean
    assert 'href="https://example.edu/a"' in clean
    for gone in ("script", "alert", "style", "onclick", "javascript", "<img", "iframe", "object"):
        assert gone not in clean, gone


def test_html_escapes_names_reasons_and_fields() -> None:
    change = FieldChange("points_possible", "<b>1</b>", "2")
    action = UpdateAssignment(key="k", assignment_id=1, title=HOSTILE, changes=(change,))
    conflict = Conflict(kind="page", object_name="<img src=x>", reason="<i>why</i>")
    report = render_html(_plan(action, conflict), "<cohort>")
    assert "<script>alert" not in report and "<img src=x>" not in report
    assert "&lt;cohort&gt;" in report and "&lt;b&gt;1&lt;/b&gt;" in report
    assert "&lt;i&gt;why&lt;/i&gt;" in report


def test_terminal_colours_by_symbol_and_diff_line() -> None:
    lines = terminal_lines(_plan(_page_update(1, paragraphs=1)))
    colours = {line.strip()[:3]: colour for line, colour in lines}
    assert colours["~ p"] == "yellow"
    assert colours["---"] is None and colours["+++"] is None
    assert colours["-Pa"] == "red" and colours["+Pa"] == "green"
    assert lines[0] == ("Canvas course 5", None) and lines[1] == ("Times in America/Denver.", None)


def test_unchanged_bullets_in_a_diff_are_context_not_changes() -> None:
    """A Markdown bullet reads "- item": unchanged, its diff line is " - item", not removed."""
    old = "<ul><li>Kept first</li><li>Old middle</li><li>+1 kept last</li></ul>"
    new = "<ul><li>Kept first</li><li>New middle</li><li>+1 kept last</li></ul>"
    update = replace(_page_update(1), old_body=old, body=new)
    lines = dict(terminal_lines(_plan(update)))
    assert lines["     - Kept first"] is None and lines["     - +1 kept last"] is None
    assert lines["    -- Old middle"] == "red" and lines["    +- New middle"] == "green"


def test_long_diff_lines_wrap_under_their_indent() -> None:
    line = "    +" + " ".join(["word"] * 30)
    pieces = wrap_line(line, 40)
    assert all(len(piece) <= 40 for piece in pieces) and len(pieces) > 3
    assert pieces[0].startswith("    +word") and all(p.startswith("     word") for p in pieces[1:])
    assert " ".join(p[5:] for p in pieces) == line[5:]  # nothing lost, broken at spaces
    context = "     - " + "x" * 60  # a context bullet: under its text, whole or cut
    assert [p[:7] for p in wrap_line(context, 40)] == ["     - ", "     xx"]
    top = "~ page " + "y " * 40
    assert wrap_line(top, 40) == [top]  # action lines are left to the terminal


def test_readable_text_keeps_spaces_around_inline_markup() -> None:
    html = "<h3>Goals</h3><p>Write a <strong>two-minute</strong>\n story.</p><ul><li>One</li></ul>"
    assert html_to_text(html) == ["### Goals", "Write a two-minute story.", "- One"]


def test_a_plan_note_is_said_once_in_every_format_and_asks_for_no_review() -> None:
    note = f"page bodies read one by one {HOSTILE}"
    plan = Plan(course_id=5, time_zone="UTC", actions=(_page_update(1, 1),), notes=(note,))
    quiet = Plan(course_id=5, time_zone="UTC", actions=(), notes=(note,))
    for shown in (plan, quiet):
        text = render_text(shown)
        assert sum(line.startswith("Note: page bodies") for line in text) == 1
        assert text[-2] in (
            "No changes: the course matches the curriculum.",
            "Plan: 0 to create, 1 to change, 0 to delete, 0 to review.",
        )
        markdown = render_markdown(shown, "c")
        assert markdown.count("_Note: page bodies") == 1 and "<script>" not in markdown
        report = render_html(shown, "c")
        assert report.count("<p class='note'>Note: page bodies") == 1
        assert "<script>alert" not in report
    assert terminal_lines(plan)[-1][1] is None
