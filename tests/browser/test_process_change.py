"""A procedure change made by the process owner in the browser, end to end.

process_owner1 adds a 客户回访 step to 技术支持 right after the application: a user task in a lane of
its own, with a new form built in the form editor (a text field and a file). Validation refuses the
lane that names no role, at that lane; the owner picks the role, deploys version 2, and a
salesperson starts a case on it and does the new step. A case started on version 1 stays there until
the owner previews and migrates it, and the diff of the versions lists the added step and form.

The diagram is changed the way a person does it: the palette, the context pad, the properties panel.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.sync_api import Page, expect
from sqlalchemy import select

from service.operations.context import AppContext
from service.persistence.models import HumanTask, ProcessInstance
from tests.browser.conftest import SCREENSHOTS
from tests.browser.forms import fill_form, submit_and_leave
from tests.processes import walk

NEW_FORM = "customer_callback"
EDIT = "/processes/technical_support/edit"
# dmn-js's prebuilt bundle says so on the console of every page that loads it (its own build, not ours)
UPSTREAM_NOTICE = "development build of Inferno"


def _ready(page: Page) -> None:
    expect(page.locator("body[data-editor-ready=true]")).to_be_attached(timeout=30_000)


def _box(page: Page, element_id: str) -> dict[str, float]:
    box = page.locator(f"#modeler .djs-element[data-element-id='{element_id}'] .djs-hit").first.bounding_box()
    assert box, element_id
    return box


def _click_element(page: Page, element_id: str, dx: float = 0.5, dy: float = 0.5) -> None:
    box = _box(page, element_id)
    page.mouse.click(box["x"] + box["width"] * dx, box["y"] + box["height"] * dy)


def _select(page: Page, element_id: str) -> None:
    """Select an element the way the problem list does (and bring it into view)."""
    page.evaluate("id => window.guichengDiagram.select(id)", element_id)
    expect(page.locator(f"#modeler .djs-element.selected[data-element-id='{element_id}']")).to_be_attached()


def _panel(page: Page, entry: str, root: str = "#properties") -> Any:
    """A properties-panel entry (the modeler's, or the form editor's under `root`); its group is opened."""
    field = page.locator(f"{root} [data-entry-id='{entry}']").first
    if not field.is_visible():
        group = field.locator("xpath=ancestor::*[@data-group-id][1]")
        group.locator(".bio-properties-panel-group-header").first.click()
    return field


# bpmn-js's own modelling commands, as its palette and context pad issue them: a lane below the
# salespeople's, a user task in it, and the start's flow routed through the task
ADD_STEP = """() => {
  const modeler = window.guichengDiagram.modeler;
  const registry = modeler.get('elementRegistry'), modeling = modeler.get('modeling');
  const lane = modeling.addLane(registry.get('lane_sales'), 'bottom');
  const start = registry.get('start'), first = registry.get('classify_receipt');
  const task = modeling.createShape({type: 'bpmn:UserTask'},
    {x: start.x + 160, y: lane.y + lane.height / 2}, registry.get('technical_support_participant'));
  modeling.removeConnection(registry.get('flow_start_to_classify_receipt'));
  modeling.connect(start, task);
  modeling.connect(task, first);
  modeler.get('canvas').zoom(1);
  window.guichengDiagram.select(task.id);  // the page's own selecting: brings it into view
  return [lane.id, task.id];
}"""


def _add_step_in_a_new_lane(page: Page) -> tuple[str, str]:
    lane, task = page.evaluate(ADD_STEP)
    _panel(page, "name").locator("input, textarea, [contenteditable]").first.fill("客户回访")
    return lane, task


def _build_form(page: Page) -> None:
    """The new step's form in the form editor: a text field and a file field, dragged from the palette."""
    page.get_by_test_id("tab-forms").click()
    page.get_by_test_id("new-form-key").fill(NEW_FORM)
    page.get_by_test_id("new-form-form").locator("button[type=submit]").click()
    editor = page.get_by_test_id("form-editor")
    canvas = editor.locator(".fjs-drop-container-vertical").first
    for field_type, key, label in (("textfield", "callback_note", "回访记录"),
                                   ("filepicker", "callback_recording", "回访录音")):
        editor.locator(f".fjs-palette-field[data-field-type='{field_type}']").drag_to(canvas)
        for entry, value in (("label", label), ("key", key)):
            box = _panel(page, entry, "[data-testid=form-editor] .fjs-properties-panel")
            box.locator("input, [contenteditable]").first.click()
            page.keyboard.press("Control+A")
            page.keyboard.type(value)
    panel = editor.locator(".fjs-properties-panel")
    expect(panel).to_contain_text("字段标签")  # form-js's own panel, in the page's language
    expect(panel).not_to_contain_text("Field label")
    expect(panel).to_contain_text("只读")
    page.screenshot(path=str(SCREENSHOTS / "process-change-00-form-editor.png"))
    page.get_by_test_id("tab-diagram").click()


def _problems(page: Page) -> list[dict[str, str]]:
    return page.eval_on_selector_all("[data-testid=problem]", """items => items.map(i => (
        {element: i.dataset.elementId || '', text: i.textContent}))""")


def _version_of(ctx: AppContext, case: int) -> int:
    with ctx.db.reading() as session:
        return session.get(ProcessInstance, case).definition.version


def test_a_process_owner_adds_a_step_and_staff_work_on_the_new_version(ctx: AppContext, staff, tmp_path: Path):
    before = walk.start(ctx)  # a case already running on version 1, waiting for the director
    assert walk.open_elements(ctx, before) == ["confirm_request"]

    owner = staff("process_owner1")
    page = owner.go(EDIT)
    _ready(page)
    lane, task = _add_step_in_a_new_lane(page)
    _build_form(page)

    # the new step: its form and who does it, in the properties panel
    _select(page, task)
    _panel(page, "gm-form-key").locator("input").fill(NEW_FORM)
    _panel(page, "gm-assignee").locator("input").fill("started_by")
    page.locator("#properties").click(position={"x": 5, "y": 5})

    # checked: the lane names no role, and the problem is at the lane
    page.get_by_test_id("validate").click()
    expect(page.get_by_test_id("problem").first).to_be_visible()
    problems = _problems(page)
    assert [p["element"] for p in problems] == [lane], problems
    expect(page.locator(f"#modeler .djs-element.gm-problem[data-element-id='{lane}']")).to_be_attached()
    owner.shot("process-change-01-lane-without-role")

    # the problem selects the lane; the owner picks 销售 for it and checks again
    page.get_by_test_id("problem").first.locator("button").click()
    expect(page.locator(f"#modeler .djs-element.selected[data-element-id='{lane}']")).to_be_attached()
    _panel(page, "gm-lane-role").locator("select").select_option("sales")
    page.get_by_test_id("validate").click()
    expect(page.get_by_test_id("editor-status")).to_have_class("status-ok")
    page.get_by_test_id("deploy").click()
    expect(page.get_by_test_id("deployed-link")).to_be_visible(timeout=30_000)
    owner.shot("process-change-02-deployed")

    # a salesperson starts a case on version 2 and does the new step
    sales = staff("sales2")
    start = sales.go("/start/technical_support")
    fill_form(start, {"customer": "欧莱雅", "project": "回访试点", "support_kind": "non_project",
                      "request_origin": "customer", "preparation_required": ["ppt"]})
    submit_and_leave(start)
    with ctx.db.reading() as session:
        new_case = session.execute(select(ProcessInstance.id).where(ProcessInstance.started_by == "sales2")
                                   ).scalars().one()
        step = session.execute(select(HumanTask).where(HumanTask.instance_id == new_case,
                                                       HumanTask.status == "open")).scalars().one()
    assert _version_of(ctx, new_case) == 2 and step.element_id == task and step.assignee == "sales2"
    recording = tmp_path / "回访录音.txt"
    recording.write_text("客户满意", encoding="utf-8")
    work = sales.go(f"/tasks/{step.id}")
    fill_form(work, {"callback_note": "已电话回访"}, uploads={"callback_recording": recording})
    submit_and_leave(work)
    assert walk.open_elements(ctx, new_case) == ["confirm_request"]  # on to the director, as before
    assert _version_of(ctx, before) == 1  # the older case kept its version

    # the diff of the two versions: the added step, its flows and its form
    diff = owner.go("/processes/technical_support/diff?from=1&to=2")
    expect(diff.get_by_test_id("diff")).to_contain_text("客户回访")
    items = diff.eval_on_selector_all("[data-testid=diff-item]", """items => items.map(i => (
        [i.dataset.kind, i.dataset.elementId || '', i.textContent]))""")
    by_kind: dict[str, set[str]] = {"added": set(), "changed": set(), "removed": set()}
    for kind, element, text in items:
        by_kind[kind].add(element or text)
    new_flows = by_kind["added"] - {task} - {item for item in by_kind["added"] if NEW_FORM in item}
    assert len(new_flows) == 2, items  # start → 客户回访 → 判断中午前后收到
    assert by_kind["added"] == {task, *new_flows, next(i for i in by_kind["added"] if NEW_FORM in i)}, items
    assert by_kind["changed"] == {"start", "classify_receipt"}, items  # their flows only
    assert by_kind["removed"] == {"flow_start_to_classify_receipt"}, items
    expect(diff.locator(f"[data-testid=diagram-to] .djs-element.gc-added[data-element-id='{task}']")).to_be_attached()
    owner.shot("process-change-03-diff")

    # the case of version 1 can move; the owner migrates it
    migration = owner.go("/processes/technical_support/migration?to=2")
    row = migration.locator(f"[data-testid=migration-row][data-instance-id='{before}']")
    expect(row).to_contain_text("可以迁移")
    row.locator("input[type=checkbox]").check()
    migration.get_by_test_id("migrate-selected").click()
    expect(migration.get_by_test_id("migration-result")).to_contain_text(str(before))
    assert _version_of(ctx, before) == 2
    history = owner.go(f"/cases/{before}")
    expect(history.get_by_test_id("timeline")).to_contain_text("从第 1 版迁移到第 2 版")
    troubles = [e for e in owner.errors + sales.errors if UPSTREAM_NOTICE not in e]
    assert not troubles, troubles
