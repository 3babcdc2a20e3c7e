"""A technical-support version whose sign-off and weekly-report tasks offer their printables.

Why: the printables are declared in the diagram (a `printables` property of the user task); tests
deploy the shipped diagram with the declaration added where it is not there yet, as a new version.
"""

from __future__ import annotations

from lxml import etree

from service.config import PROJECT_ROOT
from service.engine.definitions import BPMN, SPIFF
from service.operations import deploy
from service.operations.context import AppContext

DECLARED = {"customer_signoff": "service_sheet", "weekly_report": "weekly_report"}


def with_printables(xml: bytes, *, declared: bool = True) -> bytes:
    """The diagram with the declarations added (or, `declared=False`, with every one removed)."""
    tree = etree.fromstring(xml)
    for element_id, names in DECLARED.items():
        task = tree.find(f".//{{{BPMN}}}userTask[@id='{element_id}']")
        assert task is not None, element_id
        properties = task.find(f"{{{BPMN}}}extensionElements/{{{SPIFF}}}properties")
        assert properties is not None, element_id
        for old in [p for p in properties if p.get("name") == "printables"]:
            properties.remove(old)
        if declared:
            prop = etree.SubElement(properties, f"{{{SPIFF}}}property")
            prop.set("name", "printables")
            prop.set("value", names)
    return etree.tostring(tree, xml_declaration=True, encoding="UTF-8")


def deploy_with_printables(ctx: AppContext, *, declared: bool = True) -> int:
    """The version new cases take from now on."""
    path = PROJECT_ROOT / "processes" / "technical_support.bpmn"
    bundle = deploy.bundle_from_path(path, PROJECT_ROOT / "forms")
    bundle.files[path.name] = with_printables(bundle.files[path.name], declared=declared)
    return deploy.deploy_bundle(ctx, bundle, actor="process_owner1").version
