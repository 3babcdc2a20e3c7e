"""Diagrams as other modelers save them: any file name, several processes and a collaboration in one file,
called processes found by their id; a folder with nothing to deploy is never `ok`."""

from __future__ import annotations

from pathlib import Path

from service.operations import deploy
from tests.engine.diagrams import flow
from tests.engine.lint_diagrams import END, FLOW_NODE, FORM, HEAD, START, chain, user
from tests.support.cli import cli_env, run_cli


def process(process_id: str, *elements: str, executable: str | None = "true", lane: str = "engineer") -> str:
    """One process whose flow nodes all sit in the lane `lane` (a role), as bpmn.io draws a pool."""
    attr = f' isExecutable="{executable}"' if executable is not None else ""
    body = "\n".join(elements)
    refs = "".join(f"<bpmn:flowNodeRef>{m.group(2)}</bpmn:flowNodeRef>" for m in FLOW_NODE.finditer(body))
    return "\n".join([f'<bpmn:process id="{process_id}" name="{process_id}"{attr}>',
                      f'<bpmn:laneSet id="ls_{process_id}"><bpmn:lane id="lane_{process_id}" name="{lane}">{refs}'
                      "</bpmn:lane></bpmn:laneSet>", body, "</bpmn:process>"])


def definitions(*parts: str) -> str:
    return "\n".join([HEAD, *parts, "</bpmn:definitions>"])


def simple(process_id: str, task: str = "work", **kwargs: str | None) -> str:
    """start → a user task → end, with ids of its own so several fit in one file."""
    start, end = f"start_{process_id}", f"end_{process_id}"
    return process(process_id, f'<bpmn:startEvent id="{start}" name="start"/>', user(task),
                   f'<bpmn:endEvent id="{end}" name="end"/>', *chain(start, task, end, prefix=f"f_{process_id}"),
                   **kwargs)


def caller(process_id: str, called: str) -> str:
    call = f'<bpmn:callActivity id="call" name="call" calledElement="{called}"/>'
    return process(process_id, START, call, END, *chain("start", "call", "end", prefix=f"f_{process_id}"))


COLLABORATION = ('<bpmn:collaboration id="collab"><bpmn:participant id="pool_order" name="订单" processRef="order"/>'
                 '<bpmn:participant id="pool_customer" name="客户" processRef="customer"/>'
                 '<bpmn:messageFlow id="mf" sourceRef="pool_customer" targetRef="pool_order"/></bpmn:collaboration>')


def folder(tmp_path: Path, files: dict[str, str], forms_for: tuple[str, ...] = ()) -> Path:
    """`processes/` with the files, and `forms/<process_id>/f.form` beside it for each process given."""
    where = tmp_path / "processes"
    where.mkdir()
    for name, text in files.items():
        (where / name).write_text(text, encoding="utf-8")
    for process_id in forms_for:
        (tmp_path / "forms" / process_id).mkdir(parents=True)
        (tmp_path / "forms" / process_id / "f.form").write_text(FORM, encoding="utf-8")
    return where


def report(where: Path) -> tuple[list[deploy.Bundle], list[str]]:
    bundles, _found = deploy.discover([where], where.parent / "forms")
    return bundles, [p.line_text("en") for p in deploy.validation_report([where], where.parent / "forms")[0]]


def test_a_file_of_any_name_deploys_its_process_under_the_id_in_its_content(tmp_path):
    where = folder(tmp_path, {"Order Handling.bpmn20.xml": definitions(simple("order"))}, forms_for=("order",))
    bundles, problems = report(where)
    assert problems == []
    (bundle,) = bundles
    assert bundle.process_id == "order" and sorted(bundle.files) == ["order.bpmn"] and "f" in bundle.forms
    assert bundle.file_sources == {"order.bpmn": "Order Handling.bpmn20.xml"}


def test_a_collaboration_deploys_each_executable_pool_and_leaves_the_others(tmp_path):
    customer = process("customer", '<bpmn:task id="order_goods" name="下单"/>', executable="false")
    where = folder(tmp_path, {"collaboration.xml": definitions(COLLABORATION, simple("order"), customer,
                                                               simple("invoice", task="bill"))},
                   forms_for=("order", "invoice"))
    bundles, problems = report(where)
    assert problems == []  # the customer's pool is another party: its untyped task never runs here
    assert [b.process_id for b in bundles] == ["order", "invoice"]


def test_a_called_process_is_found_by_its_id_in_a_file_of_another_name(tmp_path):
    where = folder(tmp_path, {"main.bpmn": definitions(caller("request", "review")),
                              "shared steps.bpmn20.xml": definitions(simple("review"))}, forms_for=("review",))
    bundles, problems = report(where)
    assert problems == []
    request = next(b for b in bundles if b.process_id == "request")
    assert sorted(request.files) == ["request.bpmn", "review.bpmn"]
    assert request.file_sources["review.bpmn"] == "shared steps.bpmn20.xml"


def test_a_call_of_a_process_no_file_holds_names_the_called_element(tmp_path):
    xml = definitions(caller("request", "reveiw"))
    where = folder(tmp_path, {"main.bpmn": xml})
    _bundles, problems = report(where)
    line = xml[: xml.index('id="call"')].count("\n") + 1
    assert problems == [f"main.bpmn:{line}: call: call activity calls process 'reveiw' (calledElement), which none "
                        "of the files given holds: add the file holding it, or correct calledElement"]


def test_problems_name_the_file_as_it_was_given(tmp_path):
    xml = definitions(simple("order").replace('value="f"', 'value="missing"'))
    where = folder(tmp_path, {"order-v2.bpmn20.xml": xml}, forms_for=("order",))
    _bundles, problems = report(where)
    assert [p.split(":")[0] for p in problems] == ["order-v2.bpmn20.xml"]
    assert "form 'missing' not found" in problems[0]


def test_one_process_id_in_two_files_is_refused_naming_both(tmp_path):
    where = folder(tmp_path, {"a.bpmn": definitions(simple("Process_1")), "b.bpmn": definitions(simple("Process_1"))},
                   forms_for=("Process_1",))
    _bundles, problems = report(where)
    assert any(p.startswith("b.bpmn:") and "process id 'Process_1' is also used in a.bpmn" in p for p in problems)


def test_a_file_with_no_executable_process_says_so(tmp_path):
    where = folder(tmp_path, {"picture.bpmn": definitions(simple("drawing", executable="false"))})
    _bundles, problems = report(where)
    line = HEAD.count("\n") + 2
    assert problems == [f'picture.bpmn:{line}: -: the file holds no executable process: set isExecutable="true" '
                        "on the process to run"]


def test_the_processes_folder_deploys_as_before(tmp_path):
    from service.config import PROJECT_ROOT

    bundles = deploy.bundles_from_paths([PROJECT_ROOT / "processes"], PROJECT_ROOT / "forms")
    ids = [b.process_id for b in bundles]
    assert [i for i in ids if i.startswith("technical_support")] == [
        "technical_support", "technical_support_conflict", "technical_support_deviation", "technical_support_proposal"]
    assert "after_sales_visit_plan" in ids  # the after-sales processes beside them
    main = bundles[ids.index("technical_support")]
    assert sorted(main.files) == ["technical_support.bpmn", "technical_support_deadlines.dmn",
                                  "technical_support_planning.dmn", "technical_support_proposal.bpmn",
                                  "technical_support_proposal.dmn", "technical_support_workload.dmn"]
    assert all(main.file_sources[name] == name for name in main.files)


def _validate(tmp_path: Path, *paths: Path):
    env = cli_env(f"sqlite:///{tmp_path / 'unused.db'}", tmp_path, GUICHENG_LANG="en")
    return run_cli(env, "validate", *map(str, paths))


def test_validate_of_a_folder_of_bpmn20_files_checks_them(tmp_path):
    xml = definitions(simple("order").replace('name="engineer"', 'name="Warehouse"'))
    where = folder(tmp_path, {"order.bpmn20.xml": xml}, forms_for=("order",))
    result = _validate(tmp_path, where)
    assert result.returncode == 1, result.stdout + result.stderr
    (line,) = result.stdout.splitlines()
    file, number, element, message = (part.strip() for part in line.split(":", 3))
    assert (file, element) == ("order.bpmn20.xml", "lane_order") and int(number) > 0
    assert message == "lane name 'Warehouse' is not a known role id or role name"
    (where / "order.bpmn20.xml").write_text(xml.replace('name="Warehouse"', 'name="engineer"'), encoding="utf-8")
    assert _validate(tmp_path, where).returncode == 0


def test_validate_of_a_folder_without_a_diagram_is_not_ok(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "notes.txt").write_text("nothing to deploy", encoding="utf-8")
    result = _validate(tmp_path, empty)
    assert result.returncode == 1
    assert result.stdout.strip() == f"{empty}:0: -: no diagram (.bpmn, .bpmn20.xml, .xml) in the folder {empty}"
    assert "ok" not in result.stderr.split()


def test_flows_of_a_pool_are_named_by_the_file_given(tmp_path):
    xml = definitions(process("order", START, user("work"), END, flow("f_1", "start", "work"),
                              flow("f_2", "work", "end"), flow("f_3", "work", "end")))
    where = folder(tmp_path, {"Order.xml": xml}, forms_for=("order",))
    _bundles, problems = report(where)
    assert problems and all(p.startswith("Order.xml:") for p in problems)


def test_deploying_a_folder_without_a_diagram_refuses_naming_the_folder(tmp_path):
    import pytest

    from service.engine.problems import DefinitionInvalid

    with pytest.raises(DefinitionInvalid) as refused:
        deploy.bundles_from_paths([tmp_path], tmp_path / "forms")
    (problem,) = refused.value.problems
    assert problem.file == str(tmp_path) and str(tmp_path) in problem.render("zh")


def test_an_empty_pool_marked_executable_says_there_is_nothing_to_run(tmp_path):
    xml = definitions('<bpmn:process id="black_box" name="供应商"/>')
    where = folder(tmp_path, {"supplier.bpmn": xml})
    _bundles, problems = report(where)
    assert problems == [f"supplier.bpmn:{HEAD.count(chr(10)) + 2}: black_box: the process holds no steps, so there is "
                        'nothing to run: draw its start event, tasks and end event, or set isExecutable="false"']
    (tmp_path / "two").mkdir()
    beside = folder(tmp_path / "two", {"both.bpmn": definitions('<bpmn:process id="black_box"/>', simple("order"))},
                    forms_for=("order",))
    bundles, problems = report(beside)
    assert problems == [] and [b.process_id for b in bundles] == ["order"]  # the empty pool is another party
