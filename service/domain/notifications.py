"""What the technical-support procedure prescribes for its mails.

Rule 1 of the procedure: the application subject has a fixed format, and an
application whose subject does not match is not accepted. The subject
travels through the whole thread, so its parts must not contain the `--`
separator.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .errors import InputRejected

APPLICATION_PREFIX = "技术支持申请"
SEPARATOR = "--"
APPLICATION_SUBJECT = re.compile(
    r"^技术支持申请--(?P<customer>[^-\s][^-]*)--(?P<project>[^-\s][^-]*)--(?P<sales>[^-\s][^-]*)--(?P<mmdd>\d{4})$"
)


class SubjectRejected(InputRejected):
    """The subject does not follow the procedure's format; the message says why."""


@dataclass(frozen=True)
class Recipients:
    """Relative recipients (domain.organisation): resolved for each case from its starter's line."""

    to: tuple[str, ...]
    cc: tuple[str, ...]


# rule 1: to the technical director, copying this salesperson's own group leader, the local and the
# company sales directors, and GXM
STARTER_LINE = ("starter_group_leader", "starter_regional_director", "company_sales_director")
APPLICATION_RECIPIENTS = Recipients(to=("role:tech_director",), cc=(*STARTER_LINE, "role:management"))
# rule 9: the completion reply-all on the application; without one, a new mail to the same people
COMPLETION_RECIPIENTS = Recipients(to=("starter",), cc=(*STARTER_LINE, "role:tech_director", "role:management"))


def application_subject(customer: str, project: str, sales_name: str, received_on: date) -> str:
    parts = {"客户名称 (customer)": customer, "项目名称 (project)": project, "销售姓名 (sales name)": sales_name}
    fields = dict(zip(parts, ("customer", "project", "sales_name"), strict=True))
    for label, value in parts.items():
        text = (value or "").strip()
        if not text:
            raise SubjectRejected(f"{label} 为空，无法生成邮件主题 (empty, cannot build the subject)", fields[label])
        if "-" in text:
            raise SubjectRejected(f"{label} 不能包含 '-' ('{text}' contains '-', the subject separator)",
                                  fields[label])
    subject = SEPARATOR.join([APPLICATION_PREFIX, customer.strip(), project.strip(), sales_name.strip(),
                              received_on.strftime("%m%d")])
    check_application_subject(subject)
    return subject


def check_application_subject(subject: str) -> dict[str, str]:
    """The subject's parts, or SubjectRejected naming what is wrong."""
    match = APPLICATION_SUBJECT.match(subject or "")
    if match is None:
        if not (subject or "").startswith(APPLICATION_PREFIX + SEPARATOR):
            raise SubjectRejected(f"主题必须以“{APPLICATION_PREFIX}--”开头 (subject must start with "
                                  f"'{APPLICATION_PREFIX}--'): '{subject}'")
        raise SubjectRejected("主题格式应为 技术支持申请--客户--项目--销售--MMDD (expected "
                              f"技术支持申请--<customer>--<project>--<sales>--<MMDD>): '{subject}'")
    mmdd = match.group("mmdd")
    month, day = int(mmdd[:2]), int(mmdd[2:])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise SubjectRejected(f"日期 '{mmdd}' 不是有效的 MMDD (not a valid month-day)")
    return match.groupdict()


def application_body(*, customer: str, project: str, sales_name: str, support_kind: str,
                     preparation: str, document_contents: str, received_at: str) -> str:
    kind = "项目支持" if support_kind == "project" else "非项目支持"
    lines = [
        "技术总监：",
        "",
        f"销售 {sales_name} 为客户「{customer}」的项目「{project}」申请技术支持（{kind}）。",
        f"收到时间：{received_at}",
        "",
        f"需要的准备：{preparation or '—'}",
        f"约定的文档目录：{document_contents or '—'}",
        "",
        "请按《技术支持规范》在确认时限内回复确认。",
    ]
    return "\n".join(lines)
