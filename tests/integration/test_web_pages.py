"""The staff pages through Flask's test client: sign-in and out, CSRF, access control,
uploads, the CSV export, inbox filters and paging, user administration."""

from __future__ import annotations

import csv
import io
import re

from service import create_app
from service.adapters.archive_store import MAX_UPLOAD_BYTES, DocumentStore
from service.operations import cases, queries

APPLICATION = {"customer": "欧莱雅", "project": "CITRIX安装", "sales_name": "ZGH", "support_kind": "non_project",
               "request_origin": "customer", "preparation_required": ["none"], "emergency": False,
               "notify_sales_on_leaving": False}
PROPOSAL = {"customer": "欧莱雅", "project": "桌面虚拟化", "proposal_title": "桌面虚拟化方案", "proposal_size": "3"}


def _token(client) -> str:
    page = client.get("/login")
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def sign_in(client, username: str, password: str = "demo"):
    return client.post("/login", data={"username": username, "password": password, "csrf_token": _token(client)})


def csrf_of(client) -> str:
    """The signed-in session's token, as every page carries it."""
    return re.search(r'name="csrf-token" content="([^"]+)"', client.get("/", follow_redirects=True).text).group(1)


def start(ctx, **overrides) -> int:
    return cases.start_case(ctx, process_id="technical_support", actor="sales1", data={**APPLICATION, **overrides})


def test_pages_need_sign_in_and_the_cookie_is_http_only_and_lax(client):
    response = client.get("/")
    assert response.status_code == 302 and response.location.startswith("/login?next=/")
    assert client.get("/cases/1").location == "/login?next=/cases/1"
    response = sign_in(client, "sales1")
    assert response.status_code == 302 and response.location == "/"
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/")
    assert page.status_code == 200 and "我的待办" in page.text and "销售1" in page.text


def test_wrong_password_stays_on_the_sign_in_page(client):
    response = sign_in(client, "sales1", "wrong")
    assert response.status_code == 401 and "用户名或密码不正确" in response.text
    assert client.get("/").status_code == 302


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(client):
    token = _token(client)
    response = client.post("/login", data={"username": "sales1", "password": "demo", "csrf_token": token,
                                           "next": "/mailbox"})
    assert response.location == "/mailbox"
    client.post("/logout", data={"csrf_token": csrf_of(client)})
    response = client.post("/login", data={"username": "sales1", "password": "demo", "csrf_token": _token(client),
                                           "next": "//evil.example/"})
    assert response.location == "/"


def test_sign_out_needs_the_token_and_ends_the_session(client):
    sign_in(client, "sales1")
    assert client.post("/logout").status_code == 400
    response = client.post("/logout", data={"csrf_token": csrf_of(client)})
    assert response.status_code == 302 and response.location == "/login"
    assert client.get("/").status_code == 302


def test_posts_without_the_csrf_token_are_refused(ctx, client):
    assert client.post("/login", data={"username": "sales1", "password": "demo"}).status_code == 400
    start(ctx)
    sign_in(client, "tech_director1")
    (task,) = queries.open_tasks(ctx, actor="tech_director1")
    assert client.post(f"/tasks/{task['id']}/claim").status_code == 400
    assert client.post(f"/tasks/{task['id']}/claim", data={"csrf_token": "forged"}).status_code == 400
    assert client.post(f"/tasks/{task['id']}/claim", data={"csrf_token": "伪造"}).status_code == 400
    assert client.post("/uploads", data={"file": (io.BytesIO(b"x"), "a.txt")}).status_code == 400
    api = client.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": {"accepted": "no"}})
    assert api.status_code == 401  # the API refuses a session write without X-CSRF-Token
    assert queries.get_task(ctx, task["id"])["status"] == "open"
    ok = client.post(f"/tasks/{task['id']}/claim", data={"csrf_token": csrf_of(client), "next": "/"})
    assert ok.status_code == 302 and queries.get_task(ctx, task["id"])["assignee"] == "tech_director1"


def test_a_case_you_may_not_see_is_403(ctx, client):
    case_id = start(ctx)
    sign_in(client, "customer1")
    assert client.get(f"/cases/{case_id}").status_code == 403
    (task,) = queries.open_tasks(ctx, actor="tech_director1")
    assert client.get(f"/tasks/{task['id']}").status_code == 403
    assert client.get("/cases/9999").status_code == 404
    assert client.get("/admin/users").status_code == 403
    mail_id = 1
    assert client.get(f"/mailbox/{mail_id}").status_code == 403
    assert "技术支持申请" not in client.get("/mailbox").text


def test_case_page_shows_data_timeline_and_mail(ctx, client):
    case_id = start(ctx)
    sign_in(client, "sales1")
    page = client.get(f"/cases/{case_id}")
    assert page.status_code == 200
    for text in ("欧莱雅 / CITRIX安装", "客户名称", "非项目支持", "销售1 发起了案例", "技术总监确认申请",
                 "技术支持申请--欧莱雅--CITRIX安装--ZGH--0930", "进行中"):
        assert text in page.text, text
    diagram = client.get("/processes/technical_support/1/diagram.bpmn")
    assert diagram.status_code == 200 and b"bpmn:definitions" in diagram.data
    assert client.get("/processes/technical_support/99/diagram.bpmn").status_code == 404


def test_uploads_refuse_wrong_types_and_oversized_files(client):
    sign_in(client, "engineer1")
    headers = {"X-CSRF-Token": csrf_of(client)}
    exe = client.post("/uploads", headers=headers, data={"file": (io.BytesIO(b"MZ"), "工具.exe")})
    assert exe.status_code == 400 and "不允许" in exe.json["error"]
    big = client.post("/uploads", headers=headers,
                      data={"file": (io.BytesIO(b"0" * (MAX_UPLOAD_BYTES + 1)), "方案.pdf")})
    assert big.status_code == 400 and "超过上限" in big.json["error"]
    assert client.post("/uploads", headers=headers, data={}).status_code == 400
    huge = client.post("/uploads", headers={**headers, "Accept": "application/json"},
                       data={"file": (io.BytesIO(b"0" * (33 * 1024 * 1024)), "录像.zip")})
    assert huge.status_code == 413 and huge.json["error"] == "文件太大"
    ok = client.post("/uploads", headers=headers, data={"file": (io.BytesIO(b"%PDF-1.4"), "方案.pdf")})
    assert ok.status_code == 201 and ok.json["name"] == "方案.pdf"
    assert re.fullmatch(r"upload:[0-9a-f]{64}/方案\.pdf", ok.json["reference"])


def test_documents_download_only_from_cases_you_may_see(ctx, client):
    case_id = cases.start_case(ctx, process_id="technical_support_proposal", actor="engineer1", data=PROPOSAL)

    def do(element, actor, data):
        (task,) = [t for t in queries.open_tasks(ctx, instance_id=case_id) if t["element_id"] == element]
        cases.complete_task(ctx, task_id=task["id"], actor=actor, data=data)

    do("agree_contents", "engineer1", {"proposal_contents": "目录"})
    do("approve_contents", "sales1", {"contents_agreed": "yes"})
    reference = DocumentStore(ctx.settings.home).store_upload("方案正文".encode(), "方案.docx").reference
    do("write_proposal", "engineer1", {"doc_proposal": reference})
    sign_in(client, "engineer1")
    page = client.get(f"/cases/{case_id}")
    assert "方案.docx" in page.text
    download = client.get(f"/cases/{case_id}/documents", query_string={"ref": reference})
    assert download.status_code == 200 and download.data == "方案正文".encode()
    assert "attachment" in download.headers["Content-Disposition"]
    other = DocumentStore(ctx.settings.home).store_upload(b"secret", "other.txt").reference
    assert client.get(f"/cases/{case_id}/documents", query_string={"ref": other}).status_code == 404
    outsider = create_app(context=ctx).test_client()
    sign_in(outsider, "customer1")
    assert outsider.get(f"/cases/{case_id}/documents", query_string={"ref": reference}).status_code == 403


def test_csv_export_keeps_chinese_for_excel(ctx, client):
    start(ctx)
    start(ctx, customer="华为", project="桌面云")
    sign_in(client, "tech_director1")
    response = client.get("/inbox.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:5] == ["#", "流程", "案例", "任务", "角色"]
    assert {r[2] for r in rows[1:]} == {"欧莱雅 / CITRIX安装", "华为 / 桌面云"}
    assert all(r[3] == "技术总监确认申请" and r[4] == "技术总监" for r in rows[1:])
    assert all(r[7] == "还剩 7 个工作小时" for r in rows[1:])
    only = list(csv.reader(io.StringIO(client.get("/inbox.csv?q=华为").data.decode("utf-8-sig"))))
    assert [r[2] for r in only[1:]] == ["华为 / 桌面云"]
    start(ctx, customer="=HYPERLINK(1)")
    risky = list(csv.reader(io.StringIO(client.get("/inbox.csv?q=HYPERLINK").data.decode("utf-8-sig"))))
    assert risky[1][2].startswith("'=HYPERLINK")


def test_inbox_filters_sort_and_pages(ctx, client, clock):
    for n in range(27):
        start(ctx, customer=f"客户{n:02d}")
    sign_in(client, "tech_director1")
    first = client.get("/")
    assert first.text.count('data-task-id="') == 25 and "共 27 项" in first.text and "还剩 7 个工作小时" in first.text
    following = re.search(r'href="([^"]+)" rel="next"', first.text).group(1).replace("&amp;", "&")
    second = client.get(following)
    assert second.text.count('data-task-id="') == 2 and 'rel="next"' not in second.text
    shown = re.findall(r'data-task-id="(\d+)"', first.text + second.text)
    assert len(set(shown)) == 27  # page after page, each task once
    assert client.get("/?q=客户07").text.count('data-task-id="') == 1
    assert client.get("/?process=technical_support_proposal").text.count('data-task-id="') == 0
    assert client.get("/?overdue=1").text.count('data-task-id="') == 0
    clock.advance(days=7)  # well past the confirmation deadline
    overdue = client.get("/?overdue=1&sort=name")
    assert overdue.text.count('data-task-id="') == 25 and "已逾期" in overdue.text and 'class="overdue"' in overdue.text


def test_completed_by_me_and_the_english_switch(ctx, client):
    start(ctx)
    sign_in(client, "tech_director1")
    (task,) = queries.open_tasks(ctx, actor="tech_director1")
    response = client.post(f"/api/v1/tasks/{task['id']}/complete", headers={"X-CSRF-Token": csrf_of(client)},
                           json={"data": {"accepted": "no", "comment": "不在服务范围"}})
    assert response.status_code == 200
    assert "技术总监确认申请" in client.get("/done").text
    assert client.get(f"/tasks/{task['id']}/submitted").location == "/"
    assert "已提交" in client.get("/").text
    client.get("/lang/en", headers={"Referer": "http://localhost/done"})
    page = client.get("/done")
    assert "Done by me" in page.text and 'lang="en"' in page.text
    client.get("/lang/zh")
    assert "我的已办" in client.get("/done").text


def test_admin_creates_and_edits_users(ctx, client):
    sign_in(client, "admin1")
    token = csrf_of(client)
    assert "tech_director1" in client.get("/admin/users").text
    refused = client.post("/admin/users/new", data={"csrf_token": token, "username": "li si", "display_name": "",
                                                    "email": "x@example.com"})
    assert refused.status_code == 400 and "必填" in refused.text
    created = client.post("/admin/users/new", data={"csrf_token": token, "username": "lisi", "display_name": "李四",
                                                    "email": "lisi@example.com", "roles": ["sales"],
                                                    "password": "pw-李四"})
    assert created.status_code == 302
    edited = client.post("/admin/users/lisi", data={"csrf_token": token, "display_name": "李四",
                                                    "email": "lisi@example.com", "roles": ["sales", "engineer"]})
    assert edited.status_code == 302
    other = create_app(context=ctx).test_client()
    assert sign_in(other, "lisi", "pw-李四").status_code == 302  # the password stayed
    assert "销售" in other.get("/").text and "工程师" in other.get("/").text
    duplicate = client.post("/admin/users/new", data={"csrf_token": token, "username": "lisi", "display_name": "x",
                                                      "email": "y@example.com", "password": "p"})
    assert duplicate.status_code == 400 and "用户名已存在" in duplicate.text
