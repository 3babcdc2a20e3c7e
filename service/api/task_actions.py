"""The 审批 actions in the API."""
