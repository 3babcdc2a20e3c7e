"""Message catalogue: what-if on a draft — each finished case's verdict on the draft, and why."""

from __future__ import annotations

ZH: dict[str, str] = {
    "what_if.refused": "假设回放未运行：请求有误",
    "what_if.cases": "要回放的已完成案例数应为 1 到 {max} 之间的整数",
    "what_if.not_checkable": "草稿有 {count} 处错误，不能假设回放（先修正，与部署前的校验相同）",
    "what_if.same": "在草稿上走的路径与原案例完全相同",
    "what_if.path_differs": "路径不同：原案例在这里走到 {original}，草稿走到 {draft}",
    "what_if.task_not_ready": "原案例在这里完成了 {element}，草稿此时没有这个待办，而是等待：{ready}",
    "what_if.not_finished": "原案例到这里已结束，草稿还未结束，仍在等待：{ready}",
    "what_if.cannot_send_back": "原案例在这里退回到 {element}，草稿的路径上没有经过这一步",
    "what_if.step_failed": "草稿在 {element} 出错：{cause}",
    "what_if.service_unknown": "草稿在 {element} 调用服务 {operation}，原案例在这里从未调用过它，无法知道结果（假设回放不执行真实服务）",
    "what_if.service_params": "草稿在 {element} 以不同的参数调用服务 {operation}，无法知道结果（假设回放不执行真实服务）",
    "what_if.out_of_time": "超出假设回放的时间上限，这个案例没有走完",
    "what_if.original_unreplayable": "原案例的历史在第 {seq} 个事件无法回放（{reason}），无法比较",
    "what_if.case_failed": "这个案例无法假设回放：{cause}",
}

EN: dict[str, str] = {
    "what_if.refused": "the what-if did not run: the request is not valid",
    "what_if.cases": "cases must be a whole number from 1 to {max} (how many finished cases to walk)",
    "what_if.not_checkable": "the draft has {count} problem(s) and cannot be walked (fix them first, "
                             "as the check before a deploy says)",
    "what_if.same": "on the draft the case takes exactly the same path",
    "what_if.path_differs": "another path: here the original went on to {original}, the draft to {draft}",
    "what_if.task_not_ready": "here the original completed {element}; the draft has no such task open and waits "
                              "for: {ready}",
    "what_if.not_finished": "the original ended here; the draft has not ended and still waits for: {ready}",
    "what_if.cannot_send_back": "here the original was sent back to {element}; the draft's path did not pass it",
    "what_if.step_failed": "the draft fails at {element}: {cause}",
    "what_if.service_unknown": "the draft calls the service {operation} at {element}, which the original never "
                               "called there: its result cannot be known (the what-if runs no real services)",
    "what_if.service_params": "the draft calls the service {operation} at {element} with other parameters: its "
                              "result cannot be known (the what-if runs no real services)",
    "what_if.out_of_time": "the what-if ran out of time before this case was walked to its end",
    "what_if.original_unreplayable": "the case's own history does not replay at event {seq} ({reason}): "
                                     "nothing to compare with",
    "what_if.case_failed": "this case could not be walked: {cause}",
}
