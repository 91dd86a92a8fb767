"""What Canvas will drop is pointed back at where the curriculum's Markdown wrote it."""

from __future__ import annotations

from pd_sync.curriculum import render_markdown
from pd_sync.desired.canvas_html import keep_as_canvas
from pd_sync.desired.losses import located_losses

MARKDOWN = (
    "# Open day\n"
    "\n"
    "The open session is <b style='font-weight: 700'>bold</b>.\n"
    "\n"
    '<details open><summary>More</summary><a href="#x" aria-current="page">here</a></details>\n'
)


def _losses(markdown: str, columns: bool = True) -> tuple[str, ...]:
    kept = keep_as_canvas(render_markdown(markdown, lambda target: None).html)
    return located_losses(kept.dropped, markdown, "modules/mod1/week1.md", 10, columns)


def test_each_loss_is_located_where_it_is_written() -> None:
    # "open" first appears as a word in line 3; the attribute is the one in line 5.
    assert _losses(MARKDOWN) == (
        "modules/mod1/week1.md:12:31: the CSS property font-weight in a style on <b>",
        "modules/mod1/week1.md:14:10: the open attribute on <details>",
        "modules/mod1/week1.md:14:51: the aria-current attribute on <a>",
    )


def test_text_inside_yaml_is_located_by_line_only() -> None:
    assert _losses(MARKDOWN, columns=False)[0] == (
        "modules/mod1/week1.md:12: the CSS property font-weight in a style on <b>"
    )


def test_a_loss_not_written_as_such_points_at_the_start_of_the_text() -> None:
    # Markdown percent-encodes the space, so the URL Canvas drops is not written as rendered.
    assert _losses("[text me](<sms:+1 555>)\n") == (
        "modules/mod1/week1.md:10:1: the URL sms:+1%20555 on <a> "
        "(Canvas does not allow its scheme)",
    )
