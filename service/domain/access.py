"""Who may see a case and who may work on a task: the one permission policy.

Per case, not per role: a person sees the cases they started, hold or held a task of, are copied on,
or supervise (their subordinates' cases; a technical director the engineers'); customers see only
cases of their own company; the read-all roles are explicit, and so are the desks that see every
case of the processes they run (DESK_PROCESSES: the service desk, every after-sales order). Pages,
the API and the CLI all ask here (lists through `operations.access`, the SQL form of these rules).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .messages import Message, Words
from .roles import ROLES

READ_ALL_ROLES: frozenset[str] = frozenset({"auditor", "admin", "process_owner"})
CUSTOMER_ROLE = "customer"
# whose tasks a role oversees as a whole: the technical directors share the engineers' work (they
# confirm, assign and arbitrate every request). Everyone else supervises by the organisation: the
# people below them in the line of superiors (上级), e.g. a group leader sees their group's cases only.
SUPERVISES: dict[str, frozenset[str]] = {
    "tech_director": frozenset({"engineer", "tech_director"}),
}
# roles that run a desk see every case of the processes they run, whoever else is involved: the service
# desk (售后服务部) answers for every after-sales dispatch order and recurring plan, not only the ones it holds
DESK_PROCESSES: dict[str, frozenset[str]] = {
    "service_desk": frozenset({"after_sales_service", "after_sales_visit_plan"}),
}


@dataclass(frozen=True)
class Viewer:
    username: str
    roles: frozenset[str]
    company: str | None = None
    subordinates: frozenset[str] = frozenset()  # everyone whose line of superiors leads to the viewer

    @property
    def reads_all(self) -> bool:
        return bool(self.roles & READ_ALL_ROLES)

    @property
    def is_customer(self) -> bool:
        return CUSTOMER_ROLE in self.roles and not self.reads_all

    @property
    def supervised_roles(self) -> frozenset[str]:
        return frozenset().union(*(SUPERVISES.get(role, frozenset()) for role in self.roles))

    @property
    def desk_processes(self) -> frozenset[str]:
        """The processes whose every case this viewer sees (DESK_PROCESSES; never for customers)."""
        if self.is_customer:
            return frozenset()
        return frozenset().union(*(DESK_PROCESSES.get(role, frozenset()) for role in self.roles))


@dataclass(frozen=True)
class TaskFacts:
    role: str
    status: str
    assignee: str | None = None
    completed_by: str | None = None
    # who may not complete it, whoever holds it: they did a step it must be done apart from (`differentFrom`)
    excluded: frozenset[str] = frozenset()


@dataclass(frozen=True)
class CaseFacts:
    """What the policy needs to know of a case (its linked parent's tasks included)."""

    started_by: str
    customer: str | None = None
    tasks: tuple[TaskFacts, ...] = ()
    copied_to: frozenset[str] = field(default_factory=frozenset)
    request_started_by: str | None = None  # of a linked case (deviation, conflict): who applied for the request
    process_id: str | None = None  # for the desks' processes (DESK_PROCESSES)


def _holds(viewer: Viewer, task: TaskFacts) -> bool:
    if viewer.username in (task.assignee, task.completed_by):
        return True
    return task.status == "open" and task.assignee is None and task.role in viewer.roles


def _involved(viewer: Viewer, case: CaseFacts) -> bool:
    starters = {case.started_by, case.request_started_by} - {None}
    if viewer.username in starters or viewer.username in case.copied_to:
        return True
    if starters & viewer.subordinates:
        return True
    supervised, below = viewer.supervised_roles, viewer.subordinates
    return any(_holds(viewer, task) or task.role in supervised or task.assignee in below
               or task.completed_by in below for task in case.tasks)


def may_see_case(viewer: Viewer, case: CaseFacts) -> bool:
    if viewer.reads_all:
        return True
    if viewer.is_customer and (not viewer.company or case.customer != viewer.company):
        return False
    if case.process_id is not None and case.process_id in viewer.desk_processes:
        return True
    return _involved(viewer, case)


def role_words(role: str) -> Words:
    return Words(*ROLES.get(role, (role, role)))


def refusal_to_work(viewer: Viewer, case: CaseFacts, task: TaskFacts, task_label: Message | str = "") -> Message | None:
    """Why `viewer` may not complete (or claim) the task, or None when they may. `task_label` names the
    task in the sentence (a `task.label` message)."""
    if viewer.username in task.excluded:  # four eyes: not even when the task was handed to them
        return Message("work.four_eyes", {"task": task_label, "user": viewer.username})
    if task.assignee:
        if task.assignee == viewer.username:
            return None
        return Message("work.assigned_to_other", {"task": task_label, "assignee": task.assignee,
                                                  "user": viewer.username})
    if task.role not in viewer.roles:
        return Message("work.role_missing", {"task": task_label, "role": role_words(task.role),
                                             "user": viewer.username})
    if viewer.is_customer and (not viewer.company or case.customer != viewer.company):
        return Message("work.other_customer", {"task": task_label})
    return None


# Processes (diagrams, drafts, versions): one rule for the editor, the version pages and migration.
PROCESS_EDITOR_ROLE = "process_owner"


def may_change_processes(roles: frozenset[str] | set[str]) -> bool:
    """Deploy, save or discard drafts, migrate cases: process owners only."""
    return PROCESS_EDITOR_ROLE in roles


def may_read_processes(roles: frozenset[str] | set[str]) -> bool:
    """Read diagrams, drafts, versions, diffs and migration previews: the read-all roles."""
    return bool(set(roles) & READ_ALL_ROLES)


AUDIT_READERS: frozenset[str] = frozenset({"auditor", "admin"})


def may_audit(roles: frozenset[str] | set[str]) -> bool:
    """Searching every case's history, the chain verification and evidence of any case: auditors and
    admins (a case's own replay is for whoever may see the case)."""
    return bool(set(roles) & AUDIT_READERS)


# After-sales dispatch orders (派工单): the service desk opens them — the start lane of after_sales_service
# says the same, so the page never offers what the case start then refuses (administrators keep the system,
# they do not take the desk's calls); the desk's dashboard is for those who watch its work — the desk, its
# administrators, management and auditors.
DISPATCH_ORDER_CREATORS: frozenset[str] = frozenset({"service_desk"})
AFTER_SALES_DASHBOARD_READERS: frozenset[str] = frozenset({"service_desk", "admin", "management", "auditor"})


def may_create_dispatch_orders(roles: frozenset[str] | set[str]) -> bool:
    """Open a dispatch order from a contract: the service desk."""
    return bool(set(roles) & DISPATCH_ORDER_CREATORS)


def may_read_after_sales_dashboard(roles: frozenset[str] | set[str]) -> bool:
    """The service-desk dashboard (open orders, overdue, parts owed, visits due) across all orders."""
    return bool(set(roles) & AFTER_SALES_DASHBOARD_READERS)


# After-sales master data (contracts, the sales-region tree, task types, parts, the fee table): one rule
# for the pages, the API and the operations. The service desk keeps the data it dispatches from; the
# process owner the lists that shape the process (task types) and, with the desk, the prices of service.
MASTER_DATA_KINDS = ("contracts", "regions", "task_types", "parts", "fee_items")
MASTER_DATA_EDITORS: dict[str, frozenset[str]] = {
    "contracts": frozenset({"service_desk", "admin"}),
    "regions": frozenset({"service_desk", "admin"}),
    "parts": frozenset({"service_desk", "admin"}),
    "fee_items": frozenset({"service_desk", "admin", "process_owner"}),
    "task_types": frozenset({"process_owner"}),
}


def may_edit_master_data(roles: frozenset[str] | set[str], kind: str) -> bool:
    """Change contracts, regions, parts, fee items or task types (`kind`, one of MASTER_DATA_KINDS)."""
    return bool(set(roles) & MASTER_DATA_EDITORS.get(kind, frozenset()))


def may_read_master_data(roles: frozenset[str] | set[str]) -> bool:
    """Every member of staff reads the master data (auditors included); customers see none of it."""
    return bool(set(roles) - {CUSTOMER_ROLE})


# Contract numbering (the schemes per contract type and the register of numbers issued): the process
# owner and the administrator set the prefixes and digits; all staff read the register (customers not).
NUMBERING_EDITORS: frozenset[str] = frozenset({"process_owner", "admin"})


def may_edit_numbering(roles: frozenset[str] | set[str]) -> bool:
    return bool(set(roles) & NUMBERING_EDITORS)
