"""The auditor's review, end to end (issue 11's acceptance): auditor1 finds a finished technical-support case
by its customer, steps through it from start to end on its diagram, sees the path and the data diffs,
downloads the evidence bundle and verifies it the way the README says a third party does — with the
product's offline check and with sha256sum alone."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

from playwright.sync_api import expect

from tests.integration.test_replay import _finish
from tests.processes.walk import start
from tests.support.cli import cli_env, run_cli


def test_an_auditor_finds_replays_and_verifies_a_finished_case(ctx, staff, database_url, home, tmp_path):
    loreal, huawei = start(ctx), start(ctx, customer="华为")
    _finish(ctx, loreal)
    _finish(ctx, huawei, {"customer_signoff": "customer2"})  # 华为's own contact signs
    auditor = staff("auditor1")

    page = auditor.go("/cases?key=华为&status=completed")  # the case list's search, by customer
    rows = page.locator("tr[data-case-id]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("华为")
    rows.first.locator("a").first.click()
    page.wait_for_url(re.compile(rf"/cases/{huawei}$"))

    page.get_by_test_id("case-replay").click()
    page.wait_for_selector("#replay-diagram[data-ready=true][data-step='1']")
    expect(page.get_by_test_id("replay-verdict")).to_contain_text("一致")
    expect(page.locator('[data-testid=replay-changes] tr[data-field="customer"]')).to_contain_text("华为")

    steps = int(page.get_by_test_id("replay-scrubber").get_attribute("max") or "0")
    assert steps > 30
    page.keyboard.press("ArrowRight")  # step by step into the case: the director's confirmation
    page.wait_for_selector("#replay-diagram[data-ready=true][data-step='2']")
    for step in range(3, 12):
        page.keyboard.press("ArrowRight")
        page.wait_for_selector(f"#replay-diagram[data-ready=true][data-step='{step}']")
    page.keyboard.press("End")
    page.wait_for_selector(f"#replay-diagram[data-ready=true][data-step='{steps}']")
    done = set(page.eval_on_selector_all("#replay-diagram .djs-element.gc-done",
                                         "nodes => nodes.map(n => n.dataset.elementId)"))
    assert {"confirm_request", "engineer_assessment", "work", "final_confirmation", "archive"} <= done
    assert not page.eval_on_selector_all("#replay-diagram .djs-element.gc-active", "nodes => nodes.length")
    assert page.eval_on_selector_all("#replay-diagram .djs-connection.gc-flow, #replay-diagram .gc-flow",
                                     "nodes => nodes.length") > 10  # the path taken is drawn

    confirmed = page.evaluate("""() => {
        const frames = JSON.parse(document.getElementById('replay-config').textContent).frames;
        return frames.findIndex(f => f.type === 'task_completed' && f.element_id === 'confirm_request') + 1;
    }""")
    page.get_by_test_id("replay-scrubber").fill(str(confirmed))
    page.wait_for_selector(f"#replay-diagram[data-ready=true][data-step='{confirmed}']")
    expect(page.get_by_test_id("replay-actor")).to_have_text(re.compile("技术总监"))
    expect(page.locator('[data-testid=replay-changes] tr[data-field="engineer"]')).to_contain_text("engineer1")

    page.goto(f"{auditor.base}/cases/{huawei}")
    with page.expect_download() as download:
        page.get_by_test_id("evidence-download").click()
    bundle = tmp_path / "bundle.zip"
    download.value.save_as(bundle)
    assert "证据包" in download.value.suggested_filename

    offline = {**cli_env("sqlite:///" + str(tmp_path / "no-such-database.db"), tmp_path / "elsewhere")}
    checked = run_cli(offline, "audit", "verify-bundle", str(bundle))  # on "another machine": no database
    assert checked.returncode == 0, checked.stderr

    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(bundle) as archive:
        archive.extractall(unpacked)
    for folder in (unpacked, unpacked / "chain", unpacked / "documents"):
        summed = subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=folder, capture_output=True,
                                text=True)
        assert summed.returncode == 0, (folder, summed.stdout, summed.stderr)
    chain = sorted(Path(unpacked / "chain").glob("*.json"))
    assert len(chain) == steps  # one hash-named event file per step the auditor walked through
