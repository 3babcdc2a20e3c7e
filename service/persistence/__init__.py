"""Tables, transactions, the audit log and the schema migrations.

The sign-in and token tables live in their own module; importing it here puts them
(and the listeners that end sign-ins when a password changes) wherever the models are.
"""

from service.persistence import after_sales_models, auth_models, case_start_models, contract_models  # noqa: F401
