"""The 审批 actions on the task page."""
