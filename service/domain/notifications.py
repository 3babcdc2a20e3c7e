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
from .messages import Message

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
    parts = {"customer": customer, "project": project, "sales_name": sales_name}
    for field, value in parts.items():
        text = (value or "").strip()
        if not text:
            raise SubjectRejected("subject.part_empty", field, part=Message(f"subject.{field}"))
        if "-" in text:
            raise SubjectRejected("subject.part_dash", field, part=Message(f"subject.{field}"), text=text)
    subject = SEPARATOR.join([APPLICATION_PREFIX, customer.strip(), project.strip(), sales_name.strip(),
                              received_on.strftime("%m%d")])
    check_application_subject(subject)
    return subject


def check_application_subject(subject: str) -> dict[str, str]:
    """The subject's parts, or SubjectRejected naming what is wrong."""
    match = APPLICATION_SUBJECT.match(subject or "")
    if match is None:
        if not (subject or "").startswith(APPLICATION_PREFIX + SEPARATOR):
            raise SubjectRejected("subject.prefix", prefix=APPLICATION_PREFIX + SEPARATOR, subject=subject)
        raise SubjectRejected("subject.format", subject=subject)
    mmdd = match.group("mmdd")
    month, day = int(mmdd[:2]), int(mmdd[2:])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        raise SubjectRejected("subject.date", mmdd=mmdd)
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
