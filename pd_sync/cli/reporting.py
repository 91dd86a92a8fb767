"""What ``plan``, ``apply`` and ``show`` print and hand to GitHub: the plan on the terminal,
the HTML report file, the closing line or JSON of an apply, and in GitHub mode the job summary,
step outputs and one ``::error::`` annotation per failed write. Part of the CLI.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any

import click

from pd_sync.apply import ApplyReport
from pd_sync.cli import github
from pd_sync.cli.output import echo_line, inert_lines
from pd_sync.errors import ApplyError, ApplyInterrupted, ConfigError
from pd_sync.plan import Plan, object_type_of
from pd_sync.preview import describe, json_text, markdown_text, render_json, wrap_line


def echo_plan(lines: list[tuple[str, str | None]]) -> None:
    """Plan lines on stdout, made inert first, then coloured as ``terminal_lines`` says (when
    ``output.colour_choice`` allows); on a terminal, long indented lines wrap under their indent."""
    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else 0
    for text, fg in lines:
        for line in inert_lines(text):
            for piece in wrap_line(line, width) if width else [line]:
                echo_line(piece, fg)


def check_output_target(path: str, flag: str) -> None:
    """Before anything is read from Canvas: the file's folder must exist and be writable."""
    folder = Path(path).parent
    if not folder.is_dir():
        raise ConfigError(
            f"cannot write {flag} {path}: the folder {folder} does not exist; create it or "
            "name a file in an existing folder (nothing was sent)"
        )
    if not os.access(folder, os.W_OK):
        raise ConfigError(
            f"cannot write {flag} {path}: the folder {folder} is not writable; name a file in "
            "a folder you can write to (nothing was sent)"
        )


def write_output(path: str, text: str, flag: str, what: str) -> None:
    """Write ``text`` whole or not at all (a reader never sees half a plan), and say so on
    stderr, since stdout may carry the plan as data."""
    target = Path(path)
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        partial.replace(target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise ConfigError(f"cannot write {flag} {path}: {error.strerror}") from None
    click.echo(f"{what} written to {path}", err=True)


def report_to_github(markdown: str, changes: bool, applied: int, failed: int) -> None:
    if github.enabled(os.environ):
        github.append_summary(os.environ, markdown)
        outputs = {"changes": changes, "applied": applied, "failed": failed}
        github.write_outputs(os.environ, outputs)


def outcome(reports: list[ApplyReport]) -> dict[str, Any]:
    """What became of each write, as data (``apply --json``'s ``result``)."""
    results = [r for report in reports for r in report.results]
    actions = [
        {
            "action": type(r.action).__name__,
            "name": r.action.name,
            "object_type": object_type_of(r.action),
            "description": describe(r.action),
            "status": r.status,
            "detail": r.detail,
        }
        for r in results
    ]
    return {
        "planned": sum(report.planned for report in reports),
        "applied": sum(r.status == "done" for r in results),
        "failed": sum(r.status != "done" for r in results),
        "interrupted": any(report.stopped for report in reports),
        "retries": sum(report.retries for report in reports),
        "throttled": sum(report.throttled for report in reports),
        "actions": actions,
    }


def apply_document(plan: Plan, reports: list[ApplyReport], dry_run: bool) -> dict[str, object]:
    """What ``apply --json`` prints when it succeeds."""
    plan_data = json.loads(render_json(plan))
    return {"ok": True, "dry_run": dry_run, "plan": plan_data, "result": outcome(reports)}


def echo_json(document: dict[str, object]) -> None:
    click.echo(json_text(json.dumps(document, indent=2, sort_keys=True, default=str)))


def _failed_table(actions: list[dict[str, Any]]) -> str:
    """The job summary's list of the writes that failed, with what Canvas said."""
    rows = ["", "#### Failed changes", "", "| change | status | what happened |", "|---|---|---|"]
    for action in actions:
        if action["status"] != "done":
            rows.append(
                f"| {markdown_text(action['description'])} | {action['status']} | "
                f"{markdown_text(action['detail'])} |"
            )
    return "\n".join(rows) + "\n"


def annotate_failures(actions: list[dict[str, Any]]) -> None:
    """In GitHub mode, one ``::error::`` per write Canvas refused (naming the object and what
    Canvas said), and one ``::warning::`` for the writes not sent because of those."""
    if not github.enabled(os.environ):
        return
    for action in actions:
        if action["status"] == "failed":
            kind = str(action["object_type"])
            article = "an" if kind[:1] in "aeiou" else "a"
            title = f"pd-sync could not write {article} {kind}"
            message = f"{action['description']}: {action['detail']}"
            click.echo(github.notice_command("error", title, message))
    skipped = sum(1 for action in actions if action["status"] == "skipped")
    if skipped:
        noun = "change was" if skipped == 1 else "changes were"
        click.echo(
            github.notice_command(
                "warning",
                "pd-sync skipped changes",
                f"{skipped} {noun} not sent because a change they need failed; the job "
                "summary lists them",
            )
        )


def finish(plan: Plan, reports: list[ApplyReport], markdown: str, as_json: bool) -> None:
    """The closing line (or JSON), GitHub's summary and annotations, and the error a partial
    run is."""
    result = outcome(reports)
    applied, failed = result["applied"], result["failed"]
    failures = _failed_table(result["actions"]) if failed else ""
    annotate_failures(result["actions"])
    if result["interrupted"]:
        interrupted = ApplyInterrupted(applied, result["planned"], result)
        report_to_github(f"{markdown}\n**{interrupted}**\n{failures}", True, applied, failed)
        raise interrupted
    line = (
        f"Applied {applied} of {applied + failed} changes ({failed} failed; "
        f"{result['retries']} retries; {result['throttled']} throttle responses)."
    )
    if not as_json:
        click.echo(line)
    elif not failed:
        echo_json(apply_document(plan, reports, dry_run=False))
    report_to_github(f"{markdown}\n**{line}**\n{failures}", True, applied, failed)
    if failed:
        message = f"{failed} change(s) failed; fix the cause and run apply again"
        raise ApplyError(message, result)
