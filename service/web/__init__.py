"""Pages for people: sign-in, inbox, tasks, start forms, cases, mailbox, API tokens, user admin.

Every page needs a signed-in user (else it redirects to the sign-in page) and
every form post carries the session's CSRF token (hidden field `csrf_token`,
or the `X-CSRF-Token` header for script requests).
"""

from flask import Blueprint

bp = Blueprint("web", __name__, template_folder="templates", static_folder="static")


def load_pages() -> None:
    """Import the page modules, whose routes join `bp`; the application factory calls this before it
    registers the blueprint. Not at import time: commands that only need a helper of this package
    (texts, words) then start without loading every page."""
    from service.web import (  # noqa: F401
        admin_pages,
        after_sales_catalogue_pages,
        after_sales_list_pages,
        after_sales_master_pages,
        after_sales_order_pages,
        audit_search_pages,
        audit_verify_pages,
        calendar_pages,
        case_list_pages,
        case_move_pages,
        case_pages,
        common,
        contract_numbering_pages,
        customer_pages,
        evidence_pages,
        import_pages,
        inbox_pages,
        mail_pages,
        org_pages,
        printable_pages,
        process_dashboard_pages,
        process_pages,
        replay_pages,
        session_pages,
        task_action_pages,
        task_pages,
        token_pages,
        upload_pages,
    )
