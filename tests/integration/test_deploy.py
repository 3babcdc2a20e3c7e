"""Deploying diagrams: versions by content, and every bad input refused with where and why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from service.config import PROJECT_ROOT
from service.engine.problems import DefinitionInvalid
from service.engine.xml_safety import parse_xml
from service.operations import deploy
from service.persistence.models import ProcessDefinition
from tests.support.cli import cli_env, run_cli

SOURCE = (PROJECT_ROOT / "processes" / "technical_support.bpmn").read_text(encoding="utf-8")
FORMS = PROJECT_ROOT / "forms"


def _bundle(text: str | bytes) -> deploy.Bundle:
    data = text.encode("utf-8") if isinstance(text, str) else text
    real = deploy.bundle_from_path(PROJECT_ROOT / "processes" / "technical_support.bpmn", FORMS)
    return deploy.Bundle("technical_support", {**real.files, "technical_support.bpmn": data}, real.forms,
                         real.form_sources, real.translations, real.translation_sources)


def _versions(ctx) -> int:
    with ctx.db.reading() as session:
        return session.execute(select(func.count()).select_from(ProcessDefinition)).scalar()


def _problems(ctx, text: str | bytes) -> str:
    before = _versions(ctx)
    with pytest.raises(DefinitionInvalid) as err:
        deploy.deploy_bundle(ctx, _bundle(text), actor="process_owner1")
    assert _versions(ctx) == before  # nothing changes
    return str(err.value)


def test_same_content_is_not_a_new_version_and_a_change_is(ctx):
    unchanged = deploy.deploy_bundle(ctx, _bundle(SOURCE), actor="process_owner1")
    assert (unchanged.version, unchanged.created) == (1, False)
    changed = deploy.deploy_bundle(ctx, _bundle(SOURCE.replace("技术总监确认申请", "技术总监确认技术支持申请")),
                                   actor="process_owner1")
    assert (changed.version, changed.created) == (2, True)


def test_going_back_to_an_older_diagram_is_the_newest_version(ctx):
    deploy.deploy_bundle(ctx, _bundle(SOURCE.replace("技术总监确认申请", "技术总监确认技术支持申请")),
                         actor="process_owner1")
    back = deploy.deploy_bundle(ctx, _bundle(SOURCE), actor="process_owner1")
    assert (back.version, back.created) == (3, True)  # new cases start on what was deployed last
    assert deploy.deploy_bundle(ctx, _bundle(SOURCE), actor="process_owner1").created is False


def test_malformed_xml_names_the_line(ctx):
    broken = SOURCE.replace("</bpmn:process>", "</bpmn:proces>", 1)
    message = _problems(ctx, broken)
    assert message.startswith("technical_support.bpmn:")
    line = int(message.split(":")[1])
    assert line == SOURCE[: SOURCE.index("</bpmn:process>")].count("\n") + 1


def test_external_entity_is_refused(ctx):
    hostile = SOURCE.replace('<?xml version="1.0" encoding="UTF-8"?>',
                             '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', 1)
    hostile = hostile.replace('name="技术支持"', 'name="&xxe;"', 1)
    message = _problems(ctx, hostile)
    assert "DOCTYPE" in message and "root:" not in message


def test_billion_laughs_is_refused(ctx):
    lol = "".join(f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10}">' for i in range(1, 10))
    hostile = f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY l0 "lol">{lol}]><d>&l9;</d>'
    assert "DOCTYPE" in _problems(ctx, hostile)


def test_fifty_megabytes_is_refused_before_parsing(ctx):
    huge = SOURCE.replace("</bpmn:definitions>", "<!--" + "x" * (50 * 1024 * 1024) + "--></bpmn:definitions>")
    assert "limit" in _problems(ctx, huge)


def test_unknown_service_operation_names_the_element(ctx):
    message = _problems(ctx, SOURCE.replace('id="send_application_mail"', 'id="send_fax"', 1))
    assert "send_application" in message and "unknown service operation 'send_fax'" in message


@pytest.mark.parametrize("recipient, why", [
    ("role:nobody", "unknown role 'nobody'"), ("the_boss", "unknown recipient 'the_boss'"),
    ("superior_of:", "names nobody after 'superior_of:'")])
def test_an_unknown_mail_recipient_names_the_element(ctx, recipient, why):
    message = _problems(ctx, SOURCE.replace("'role:management'", f"'{recipient}'", 1))
    assert "parameter 'cc'" in message and why in message


def test_a_user_picker_must_name_a_role(ctx):
    real = deploy.bundle_from_path(PROJECT_ROOT / "processes" / "technical_support.bpmn", FORMS)
    form = json.loads(real.forms["confirm_request"])
    for component in form["components"]:
        if component.get("key") == "engineer":
            component["properties"] = {"userPicker": "engineers"}
    bundle = deploy.Bundle("technical_support", real.files, {**real.forms, "confirm_request": json.dumps(form)},
                           real.form_sources)
    before = _versions(ctx)
    with pytest.raises(DefinitionInvalid) as err:
        deploy.deploy_bundle(ctx, bundle, actor="process_owner1")
    assert "confirm_request.form" in str(err.value) and "component 'engineer'" in str(err.value)
    assert "the user picker names the role 'engineers', which is not a known role" in str(err.value)
    assert _versions(ctx) == before


def test_unknown_lane_is_refused(ctx):
    message = _problems(ctx, SOURCE.replace('name="工程师"', 'name="工程部"', 1))
    assert "'工程部' is not a known role" in message


def test_escaping_condition_is_refused_with_its_flow(ctx):
    message = _problems(ctx, SOURCE.replace("accepted == 'no'", "__import__('os').system('id')", 1))
    assert "flow_confirm_gateway_to_notify_refusal" in message and "refused" in message


def test_missing_form_is_refused(ctx):
    message = _problems(ctx, SOURCE.replace('name="formKey" value="work"', 'name="formKey" value="no_such_form"', 1))
    assert ": work:" in message and "form 'no_such_form' not found" in message


def test_validate_command_prints_file_line_element(tmp_path: Path, database_url, home):
    bad = tmp_path / "processes" / "technical_support.bpmn"
    bad.parent.mkdir()
    bad.write_text(SOURCE.replace('id="send_application_mail"', 'id="send_fax"', 1), encoding="utf-8")
    (tmp_path / "forms").symlink_to(FORMS)
    result = run_cli(cli_env(database_url, home), "validate", str(bad.parent))
    assert result.returncode == 1
    first = result.stdout.splitlines()[0]
    file, line, element, message = (part.strip() for part in first.split(":", 3))
    assert file == "technical_support.bpmn" and int(line) > 0 and element == "send_application"
    assert "send_fax" in message
    good = run_cli(cli_env(database_url, home), "validate", str(PROJECT_ROOT / "processes"))
    assert good.returncode == 0, good.stdout + good.stderr


# -- encodings: validate and deploy take the same path, and store UTF-8 ----------------


def _stored(ctx, version: int) -> str:
    with ctx.db.reading() as session:
        definition = session.execute(select(ProcessDefinition).where(
            ProcessDefinition.process_id == "technical_support", ProcessDefinition.version == version)).scalar_one()
        return definition.files["technical_support.bpmn"]


@pytest.mark.parametrize(("declared", "codec"), [("GBK", "gbk"), ("UTF-16", "utf-16"), ("GB18030", "gb18030")])
def test_a_diagram_in_another_encoding_is_stored_as_utf8(ctx, declared, codec):
    def encoded(text: str) -> bytes:
        return text.replace('encoding="UTF-8"', f'encoding="{declared}"', 1).encode(codec)

    same = deploy.deploy_bundle(ctx, _bundle(encoded(SOURCE)), actor="process_owner1")
    assert (same.version, same.created) == (1, False)  # the same diagram, whatever its encoding
    renamed = SOURCE.replace("技术总监确认申请", "技术总监确认技术支持申请")
    changed = deploy.deploy_bundle(ctx, _bundle(encoded(renamed)), actor="process_owner1")
    assert changed.created
    text = _stored(ctx, changed.version)
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>') and "技术总监确认技术支持申请" in text


def test_latin1_names_survive(ctx):
    latin = SOURCE.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"', 1)
    latin = latin.replace('name="技术支持"', 'name="Técnico"', 1)
    latin = "".join(ch if ord(ch) < 256 else f"&#{ord(ch)};" for ch in latin)  # the rest as references
    result = deploy.deploy_bundle(ctx, _bundle(latin.encode("latin-1")), actor="process_owner1")
    text = _stored(ctx, result.version)
    assert 'name="Técnico"' in text
    names = {n.get("name") for n in parse_xml(text.encode(), "stored.bpmn").iter()}
    assert "技术总监确认申请" in names  # character references still mean what they said


def test_undecodable_diagram_is_a_clean_problem(ctx):
    broken = SOURCE.replace('encoding="UTF-8"', 'encoding="GBK"', 1).encode("utf-8") + b"<!-- \xff\xff -->"
    message = _problems(ctx, broken)
    assert message.startswith("technical_support.bpmn:") and "malformed XML" in message


def test_validate_and_deploy_agree_on_a_gbk_diagram(tmp_path: Path, database_url, home):
    folder = tmp_path / "processes"
    folder.mkdir()
    for original in (PROJECT_ROOT / "processes").glob("technical_support*"):
        (folder / original.name).write_bytes(original.read_bytes())
    gbk = SOURCE.replace('encoding="UTF-8"', 'encoding="GBK"', 1).encode("gbk")
    (folder / "technical_support.bpmn").write_bytes(gbk)
    (tmp_path / "forms").symlink_to(FORMS)
    env = cli_env(database_url, home)
    checked = run_cli(env, "validate", str(folder))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    deployed = run_cli(env, "deploy", str(folder / "technical_support.bpmn"))
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr


def test_uploading_a_gbk_diagram_over_the_api_deploys_it(ctx):
    from io import BytesIO

    from service import create_app
    from service.operations import users

    client = create_app(context=ctx).test_client()
    headers = {"Authorization": f"Bearer {users.issue_token(ctx, 'process_owner1')}"}
    source = (PROJECT_ROOT / "processes" / "technical_support_conflict.bpmn").read_text(encoding="utf-8")
    gbk = source.replace('encoding="UTF-8"', 'encoding="GBK"', 1).replace('name="', 'name="改 ', 1).encode("gbk")
    forms = [(BytesIO(f.read_bytes()), f.name) for f in sorted((FORMS / "technical_support_conflict").glob("*.form"))]
    response = client.post("/api/v1/process-definitions", headers=headers, content_type="multipart/form-data",
                           data={"bpmn": (BytesIO(gbk), "technical_support_conflict.bpmn"), "form": forms})
    assert response.status_code == 201, response.get_data(as_text=True)
