"""Publishing or unpublishing a module never changes the published state of content the
curriculum declares otherwise (Canvas cascades a module's state to its items' pages and
assignments unless asked to skip content tags: context_modules_api_controller.rb#update)."""

from __future__ import annotations

from pathlib import Path

import canvasapi

from pd_sync.curriculum import Program, is_reserved_title, load_curriculum
from pd_sync.sandbox import Sandbox
from tests.sync.conftest import Sync, active, writes

MODULE_TITLE = '    title: "Module 1: Professional Development"\n'
WEEK6 = "Module 1 Week 6: Reflect and Look Ahead"


def _edit(curriculum: Path, old: str, new: str) -> Program:
    module = curriculum / "modules" / "mod1" / "module.yml"
    text = module.read_text(encoding="utf-8")
    assert text.count(old) == 1
    module.write_text(text.replace(old, new), encoding="utf-8")
    return load_curriculum(curriculum)


def _unpublish_week6(curriculum: Path) -> Program:
    return _edit(curriculum, "    key: mod1-week6\n", "    key: mod1-week6\n    published: false\n")


def _states(sandbox: Sandbox, table: str) -> dict[str, str]:
    key = "title" if table == "pages" else "name"
    rows = active(sandbox.store.rows(table, 1))
    # pd-sync's ownership record is an unpublished page of its own: not content.
    rows = [r for r in rows if table != "pages" or not is_reserved_title(r["title"])]
    return {str(r[key]): str(r["workflow_state"]) for r in rows}


def _header_states(sandbox: Sandbox) -> set[str]:
    rows = active(sandbox.store.rows("module_items", 1))
    return {str(r["workflow_state"]) for r in rows if r["type"] == "SubHeader"}


def _converged(sandbox: Sandbox, program: Program, sync: Sync) -> None:
    sandbox.clear_requests()
    planned, _ = sync(program)
    assert planned.plan.writes == () and writes(sandbox) == []


def test_unpublished_page_in_a_new_published_module_stays_unpublished(
    sandbox: Sandbox, curriculum: Path, sync: Sync
) -> None:
    program = _unpublish_week6(curriculum)

    _, reports = sync(program)

    pages = _states(sandbox, "pages")
    assert pages.pop(WEEK6) == "unpublished"
    assert set(pages.values()) == {"active"}
    assert _states(sandbox, "modules") == {program.modules[0].title: "active"}
    assert _header_states(sandbox) == {"active"}  # published by pd-sync, not by the cascade
    # Converged in the apply itself: no follow-up pass had to unpublish the page again.
    assert len(reports) == 1
    _converged(sandbox, program, sync)


def test_publishing_an_existing_module_keeps_declared_and_hand_made_states(
    sandbox: Sandbox, canvas: canvasapi.Canvas, curriculum: Path, sync: Sync
) -> None:
    hidden = _edit(curriculum, MODULE_TITLE, MODULE_TITLE + "    published: false\n")
    sync(hidden)
    assert _states(sandbox, "modules") == {hidden.modules[0].title: "unpublished"}
    course = canvas.get_course(1)
    draft = course.create_page(wiki_page={"title": "Draft by hand", "published": False})
    module = next(iter(course.get_modules()))
    module.create_module_item(module_item={"type": "Page", "page_url": draft.url})
    _edit(curriculum, MODULE_TITLE + "    published: false\n", MODULE_TITLE)
    program = _unpublish_week6(curriculum)

    sync(program)

    pages = _states(sandbox, "pages")
    assert (pages.pop(WEEK6), pages.pop("Draft by hand")) == ("unpublished", "unpublished")
    assert set(pages.values()) == {"active"}
    assert _states(sandbox, "modules") == {program.modules[0].title: "active"}
    assert _header_states(sandbox) == {"active"}
    _converged(sandbox, program, sync)


def test_unpublishing_a_module_leaves_its_published_pages_published(
    sandbox: Sandbox, curriculum: Path, program: Program, sync: Sync
) -> None:
    sync(program)
    hidden = _edit(curriculum, MODULE_TITLE, MODULE_TITLE + "    published: false\n")

    sync(hidden)

    assert _states(sandbox, "modules") == {hidden.modules[0].title: "unpublished"}
    assert set(_states(sandbox, "pages").values()) == {"active"}
    assert set(_states(sandbox, "assignments").values()) == {"published"}
    assert _header_states(sandbox) == {"unpublished"}
    _converged(sandbox, hidden, sync)


def test_a_harmless_cascade_is_still_used(sandbox: Sandbox, program: Program, sync: Sync) -> None:
    sync(program)
    # Everything in the module is published, as is the module: the cascade did the headers,
    # so the first sync sent no publish per SubHeader (the exact counts are in tests/apply).
    puts = [w for w in writes(sandbox) if w.startswith("PUT") and "/items/" in w]
    assert puts == []
