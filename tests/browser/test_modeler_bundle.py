"""The committed modeler bundle (GuichengModeler) in Chromium, under the product's Content-Security-Policy:
every procedure survives import + save unchanged, the properties panel writes what the server reads
(lane role, service operation and parameters) and shows the server's expression check as you type,
labels follow the language, and deploy problems are marked on the diagram.

The bundle is loaded on a bare test page of the live server, so these tests follow the bundle, not the
editor page that uses it; the catalogue, the expression checks and the working-day preview come from
the real endpoints (`/api/v1/process-editor/catalogue`, `/api/v1/process-editor/check`,
`/api/v1/calendar/working-day-end`), signed in as the process owner.
"""

from __future__ import annotations

from typing import Any

from flask import url_for
from lxml import etree
from playwright.sync_api import Page, expect

from service import create_app
from service.config import PROJECT_ROOT
from service.web.security_headers import CONTENT_SECURITY_POLICY

PROCESSES = sorted((PROJECT_ROOT / "processes").glob("*.bpmn"))
TEST_PAGE = "/modeler-bundle-test"
# Schema defaults: bpmn-moddle and dmn-moddle leave an attribute out when it holds its default, and
# SpiffWorkflow reads the same default, so `cancelActivity="true"` and no attribute mean the same
SCHEMA_DEFAULTS = {("boundaryEvent", "cancelActivity"): "true", ("decisionTable", "hitPolicy"): "UNIQUE"}

# Before the page's own scripts: collect policy violations and script errors
WATCH = """window.__troubles = [];
document.addEventListener('securitypolicyviolation', (e) => __troubles.push('CSP ' + e.violatedDirective));
window.addEventListener('error', (e) => __troubles.push(String(e.message)));
window.addEventListener('unhandledrejection', (e) => __troubles.push(String(e.reason)));"""

# Runs in the page: the modeler with the real catalogue and checker of the live server.
START = """async ({lang, csrf}) => {
  if (window.gm) window.gm.modeler.destroy();
  const query = '?process_id=technical_support&lang=' + lang;
  const catalogue = await (await fetch('/api/v1/process-editor/catalogue' + query)).json();
  const checkExpression = async (expression, kind) => {
    const response = await fetch('/api/v1/process-editor/check?lang=' + lang, {method: 'POST',
      headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrf}, body: JSON.stringify({expression, kind})});
    return response.json();
  };
  const previewDeadline = async (day, fromIso) => {
    const response = await fetch(`/api/v1/calendar/working-day-end?day=${day}&from=${encodeURIComponent(fromIso)}`);
    return response.ok ? (await response.json()).due : null;
  };
  window.gm = GuichengModeler.createModeler({container: document.getElementById('canvas'),
    propertiesParent: document.getElementById('panel'), lang, catalogue, checkExpression,
    previewDeadline});
  return catalogue;
}"""


DMN_STYLES = ("diagram-js", "dmn-js-shared", "dmn-js-drd", "dmn-js-decision-table", "dmn-js-decision-table-controls",
              "dmn-font/css/dmn-embedded")


def _page_html(ctx) -> str:  # type: ignore[no-untyped-def]
    """A bare page: the bundle, its CSS, the vendored dmn-js modeler (the decision editor needs it first)."""
    with create_app(context=ctx).test_request_context():
        scripts = [url_for("web.static", filename=name) for name in
                   ("vendor/dmn-js/dmn-modeler.production.min.js", "modeler/guicheng-modeler.min.js")]
        styles = [url_for("web.static", filename=f"vendor/dmn-js/assets/{name}.css") for name in DMN_STYLES]
        styles.append(url_for("web.static", filename="modeler/guicheng-modeler.css"))
    links = "".join(f'<link rel="stylesheet" href="{href}">' for href in styles)
    tags = "".join(f'<script src="{src}"></script>' for src in scripts)
    return (f'<!doctype html><html lang="zh"><head><meta charset="utf-8">{links}</head><body>'
            f'<div id="canvas" style="width:1000px;height:640px"></div><div id="panel" style="width:360px"></div>'
            f'<div id="other" style="width:1000px;height:500px"></div>{tags}</body></html>')


def _modeler_page(ctx, staff, lang: str = "zh") -> tuple[Page, dict[str, Any]]:  # type: ignore[no-untyped-def]
    owner = staff("process_owner1")
    page: Page = owner.page
    csrf = page.locator("meta[name=csrf-token]").get_attribute("content")
    html = _page_html(ctx)
    owner.context.add_init_script(WATCH)
    page.route(f"**{TEST_PAGE}", lambda route: route.fulfill(
        status=200, content_type="text/html; charset=utf-8", body=html,
        headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY}))
    page.goto(owner.base + TEST_PAGE)
    page.wait_for_function("() => window.GuichengModeler")
    page.evaluate("([lang, csrf]) => { window.__csrf = csrf; window.__lang = lang; }", [lang, csrf])
    catalogue = page.evaluate(START, {"lang": lang, "csrf": csrf})
    owner.errors.clear()
    return page, catalogue


def _no_troubles(page: Page) -> None:
    """The page broke neither its Content-Security-Policy nor threw a script error."""
    assert page.evaluate("window.__troubles") == []


def _restart(page: Page, lang: str) -> None:
    page.evaluate(START, {"lang": lang, "csrf": page.evaluate("window.__csrf")})


def _import(page: Page, xml: str) -> list[str]:
    result = page.evaluate("async (xml) => (await gm.importXML(xml)).warnings.map((w) => w.message)", xml)
    return list(result)


def _saved(page: Page) -> str:
    return str(page.evaluate("() => gm.saveXML()"))


def _number(value: str) -> str:
    """Coordinates written as 100 or 100.0 are the same coordinate."""
    try:
        return repr(float(value))
    except ValueError:
        return value


def _elements(xml: str) -> list[tuple[str, tuple[tuple[str, str], ...], str]]:
    """Each element in document order: tag, attributes (values compared as numbers where they are), text."""
    root = etree.fromstring(xml.encode(), etree.XMLParser(remove_blank_text=True, resolve_entities=False))
    return [(node.tag, _attributes(node), (node.text or "").strip())
            for node in root.iter() if isinstance(node.tag, str)]


def _attributes(node: etree._Element) -> tuple[tuple[str, str], ...]:
    local = etree.QName(node).localname
    return tuple(sorted((k, _number(v)) for k, v in node.attrib.items() if SCHEMA_DEFAULTS.get((local, k)) != v))


def _first_difference(before: str, after: str) -> str | None:
    old, new = _elements(before), _elements(after)
    for index, (a, b) in enumerate(zip(old, new, strict=False)):
        if a != b:
            return f"element {index}: {a} became {b}"
    return None if len(old) == len(new) else f"{len(old)} elements became {len(new)}"


def _select(page: Page, element_id: str, group_id: str) -> None:
    """Select an element and wait for the panel to show one of its groups.

    The panel starts listening for selections in an effect that runs after its first paint; on a busy
    machine a selection made just after the import can come before that and is then never shown, so
    the selection is repeated until the panel follows it."""
    group = page.locator(f"#panel [data-group-id='group-{group_id}']")
    for _ in range(30):
        assert page.evaluate("(id) => gm.select(id)", element_id) is True, element_id
        try:
            expect(group).to_be_visible(timeout=1_000)
            return
        except AssertionError:
            continue
    expect(group).to_be_visible()


def _open_group(page: Page, group_id: str) -> None:
    group = page.locator(f"#panel [data-group-id='group-{group_id}']")
    expect(group).to_be_visible(timeout=15_000)  # the panel redraws after the selection, later on a busy machine
    if not group.locator(".bio-properties-panel-group-entries.open").count():
        group.locator(".bio-properties-panel-group-header").click()


def _select_and_open(page: Page, element_id: str, group_id: str) -> None:
    _select(page, element_id, group_id)
    _open_group(page, group_id)


def _group_title(page: Page, group_id: str):  # type: ignore[no-untyped-def]
    return page.locator(f"#panel [data-group-id='group-{group_id}'] .bio-properties-panel-group-header-title")


def _properties_of(xml: str, element_id: str) -> dict[str, str]:
    nodes = etree.fromstring(xml.encode()).xpath(f"//*[@id='{element_id}']/*/*[local-name()='properties']/*")
    return {node.get("name"): node.get("value") for node in nodes}


def test_every_procedure_survives_import_and_save_unchanged(ctx, staff):
    page, _ = _modeler_page(ctx, staff)
    differences = {}
    for path in PROCESSES:
        original = path.read_text(encoding="utf-8")
        assert _import(page, original) == [], path.name
        difference = _first_difference(original, _saved(page))
        if difference:
            differences[path.name] = difference
    assert differences == {}
    names = {p.name for p in PROCESSES}
    assert {"technical_support.bpmn", "after_sales_service.bpmn", "after_sales_visit_plan.bpmn"} <= names
    expect(page.locator("#canvas .bjs-powered-by")).to_be_visible()  # the bpmn.io watermark stays
    _no_troubles(page)


def test_panel_writes_role_and_operation_and_shows_the_checkers_message(ctx, staff):
    page, catalogue = _modeler_page(ctx, staff)
    _import(page, (PROJECT_ROOT / "processes" / "technical_support.bpmn").read_text(encoding="utf-8"))

    engineer = next(r for r in catalogue["roles"] if r["id"] == "engineer")
    _select_and_open(page, "lane_sales", "gm-lane")
    page.select_option("#panel [data-entry-id=gm-lane-role] select", "engineer")
    lanes = etree.fromstring(_saved(page).encode()).xpath("//*[local-name()='lane'][@id='lane_sales']")
    assert lanes[0].get("name") == engineer["name"]

    # a new service task, as dropped from the palette, gets its operation and parameters from the panel
    page.evaluate("""() => {
      const registry = gm.modeler.get('elementRegistry');
      const pool = registry.get('technical_support_participant');
      const task = gm.modeler.get('modeling').createShape({type: 'bpmn:ServiceTask'},
        {x: pool.x + 300, y: pool.y + 60}, pool);
      gm.modeler.get('modeling').updateProperties(task, {id: 'new_mail'});
      gm.select('new_mail');
    }""")
    mail = next(o for o in catalogue["operations"] if o["name"] == "send_case_mail")
    _open_group(page, "gm-service")
    page.select_option("#panel [data-entry-id=gm-operation] select", "send_case_mail")
    for name in mail["required"] + mail["optional"]:
        expect(page.locator(f"#panel [data-entry-id='gm-parameter-{name}'] input")).to_be_visible()
    page.fill("#panel [data-entry-id=gm-parameter-template] input", "'confirm_reminder'")
    page.fill("#panel [data-entry-id=gm-result-variable] input", "new_mail_sent")
    page.locator("#panel [data-entry-id=gm-result-variable] input").blur()
    saved = etree.fromstring(_saved(page).encode())
    operator = saved.xpath("//*[@id='new_mail']/*/*[local-name()='serviceTaskOperator']")
    assert operator and operator[0].get("id") == "send_case_mail"
    assert operator[0].get("resultVariable") == "new_mail_sent"
    params = {p.get("id"): p.get("value") for p in operator[0].iter("{*}parameter")}
    assert params == {"template": "'confirm_reminder'"}

    # a bad condition on a gateway's flow: the server's checker answers under the field
    _select_and_open(page, "flow_emergency_gateway_to_confirm_emergency", "gm-condition")
    field = page.locator("#panel [data-entry-id=gm-condition-expression] input")
    expect(field).to_have_value("emergency == True")
    field.fill("emergency ==")
    verdict = page.evaluate("""async () => (await fetch('/api/v1/process-editor/check', {method: 'POST',
      headers: {'Content-Type': 'application/json', 'X-CSRF-Token': window.__csrf},
      body: JSON.stringify({expression: 'emergency ==', kind: 'condition'})})).json()""")
    assert verdict["ok"] is False and verdict["message"]
    expect(page.locator("#panel [data-problem-for=gm-condition-expression]")).to_have_text(verdict["message"])
    field.fill("emergency == False")
    expect(page.locator("#panel [data-problem-for=gm-condition-expression]")).to_have_count(0)
    assert "emergency == False" in _saved(page)
    _no_troubles(page)


def test_labels_follow_the_language(ctx, staff):
    page, _ = _modeler_page(ctx, staff, "en")
    xml = (PROJECT_ROOT / "processes" / "technical_support.bpmn").read_text(encoding="utf-8")
    for lang, create_start, general, task in (("en", "Create start event", "General", "Task"),
                                             ("zh", "创建开始事件", "常规", "任务")):
        _restart(page, lang)
        _import(page, xml)
        expect(page.locator("#canvas .djs-palette [data-action='create.start-event']")).to_have_attribute(
            "aria-label", create_start)
        _select(page, "confirm_request", "gm-user-task")
        expect(_group_title(page, "general")).to_have_text(general)
        expect(_group_title(page, "gm-user-task")).to_have_text(task)
    _no_troubles(page)


def test_problems_are_marked_and_their_element_selected(ctx, staff):
    page, _ = _modeler_page(ctx, staff)
    _import(page, (PROJECT_ROOT / "processes" / "technical_support.bpmn").read_text(encoding="utf-8"))
    problems = [{"element_id": "final_confirmation", "message": "用户任务没有表单"},
                {"element_id": "no_such_element", "message": "ignored"}]
    page.evaluate("(problems) => gm.showProblems(problems)", problems)
    marked = page.locator("#canvas .djs-element.gm-problem")
    expect(marked).to_have_count(1)
    expect(marked).to_have_attribute("data-element-id", "final_confirmation")
    expect(page.locator("#canvas .gm-problem-note")).to_have_text(["用户任务没有表单"])
    assert page.evaluate("() => gm.select('final_confirmation')") is True
    expect(page.locator("#canvas .djs-element.selected")).to_have_attribute("data-element-id", "final_confirmation")
    expect(page.locator("#canvas .djs-element[data-element-id=final_confirmation]")).to_be_in_viewport()
    page.evaluate("() => gm.clearProblems()")
    expect(marked).to_have_count(0)
    assert page.evaluate("() => gm.select('no_such_element')") is False
    _no_troubles(page)


def test_viewer_colours_elements_and_decision_editor_keeps_the_table(ctx, staff):
    page, _ = _modeler_page(ctx, staff)
    xml = (PROJECT_ROOT / "processes" / "technical_support_proposal.bpmn").read_text(encoding="utf-8")
    coloured = page.evaluate("""async (xml) => {
      window.viewer = GuichengModeler.createViewer({container: document.getElementById('other'), lang: 'zh'});
      await viewer.importXML(xml);
      return viewer.colour(['agree_contents', 'no_such_element'], 'diff-changed');
    }""", xml)
    assert coloured == ["agree_contents"]
    expect(page.locator("#other .djs-element.diff-changed")).to_have_attribute("data-element-id", "agree_contents")
    expect(page.locator("#other .bjs-powered-by")).to_be_visible()

    table = PROJECT_ROOT / "processes" / "technical_support_deadlines.dmn"
    saved = page.evaluate("""async (xml) => {
      viewer.viewer.destroy();
      const editor = GuichengModeler.createDecisionEditor({container: document.getElementById('other'), lang: 'zh'});
      await editor.importXML(xml);
      return editor.saveXML();
    }""", table.read_text(encoding="utf-8"))
    expect(page.locator("#other .tjs-table")).to_be_visible()
    assert _first_difference(table.read_text(encoding="utf-8"), saved) is None
    _no_troubles(page)


def test_panel_edits_user_task_start_event_timer_and_scripts_without_xml(ctx, staff):
    page, catalogue = _modeler_page(ctx, staff)
    _import(page, (PROJECT_ROOT / "processes" / "technical_support.bpmn").read_text(encoding="utf-8"))
    _select_and_open(page, "communication", "gm-user-task")
    form = catalogue["forms"][0]
    deadline = catalogue["deadline_variables"][0]["name"]
    page.select_option("#panel [data-entry-id=gm-form] select", form)
    page.select_option("#panel [data-entry-id=gm-due] select", deadline)
    page.check("#panel [data-entry-id=gm-printable-weekly_report] input")
    assignee = page.locator("#panel [data-entry-id=gm-assignee] input")
    assignee.fill("engineer ==")
    expect(page.locator("#panel [data-problem-for=gm-assignee]")).not_to_be_empty()
    assignee.fill("started_by")
    expect(page.locator("#panel [data-problem-for=gm-assignee]")).to_have_count(0)
    assert _properties_of(_saved(page), "communication") == {
        "assignee": "started_by", "formKey": form, "dueAt": deadline, "printables": "weekly_report"}

    _select_and_open(page, "start", "gm-start")
    page.check("#panel [data-entry-id=gm-start-role-engineer] input")
    page.check("#panel [data-entry-id=gm-start-role-sales] input")
    assert _properties_of(_saved(page), "start")["startRoles"] == "engineer,sales"

    _select_and_open(page, "confirm_overdue_timer", "gm-timer")
    expect(page.locator("#panel [data-entry-id=gm-timer-type] select")).to_have_value("timeDate")
    page.fill("#panel [data-entry-id=gm-timer-duration] input[name=amount]", "2")
    expect(page.locator("#panel [data-entry-id=gm-timer-duration] .gm-preview")).to_contain_text("预览：期限为 20")
    page.click("#panel [data-entry-id=gm-timer-duration] button")
    expect(page.locator("#panel [data-entry-id=gm-timer-type] select")).to_have_value("timeDuration")
    timer = etree.fromstring(_saved(page).encode()).xpath("//*[@id='confirm_overdue_timer_definition']/*")
    assert [(etree.QName(t).localname, t.text) for t in timer] == [("timeDuration", '"P2D"')]

    _select_and_open(page, "record_silent_confirmation", "gm-scripts")
    script = page.locator("#panel [data-entry-id=gm-script] textarea")
    expect(script).to_have_value("sales_confirmed = 'silent'")
    script.fill("sales_confirmed = ")
    expect(page.locator("#panel [data-problem-for=gm-script]")).not_to_be_empty()
    script.fill("sales_confirmed = 'silent'\nsilent = True")
    expect(page.locator("#panel [data-problem-for=gm-script]")).to_have_count(0)
    page.fill("#panel [data-entry-id=gm-post-script] textarea", "confirmed_at = received_at")
    page.locator("#panel [data-entry-id=gm-post-script] textarea").blur()
    saved = etree.fromstring(_saved(page).encode())
    task = saved.xpath("//*[@id='record_silent_confirmation']")[0]
    assert task.findtext("{*}script") == "sales_confirmed = 'silent'\nsilent = True"
    assert task.findtext("{*}extensionElements/{*}postScript") == "confirmed_at = received_at"
    _no_troubles(page)
