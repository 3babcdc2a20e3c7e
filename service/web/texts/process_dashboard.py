"""Page labels: a process's dashboard — where its cases wait (a heat map on the diagram), what is overdue
per role and per person, and how long each step usually takes."""

from __future__ import annotations

ZH: dict[str, str] = {
    "dashboard.link": "运行看板",
    "dashboard.title": "运行看板：{name}",
    "dashboard.version": "版本",
    "dashboard.version_option": "第 {version} 版（{running} 个进行中）",
    "dashboard.show": "查看",
    "dashboard.running": "第 {version} 版进行中的案例：{n} 个",
    "dashboard.diagram": "案例停在哪里（数字为在此等待的案例数）",
    "dashboard.heat_title": "{n} 个案例在此等待",
    "dashboard.steps": "各步骤",
    "dashboard.step": "步骤",
    "dashboard.waiting": "等待中的案例",
    "dashboard.completed": "已办理次数",
    "dashboard.median": "办理用时中位数",
    "dashboard.hours": "{h} 小时",
    "dashboard.overdue_roles": "按角色统计的超期任务",
    "dashboard.overdue_people": "按人员统计的超期任务",
    "dashboard.role": "角色",
    "dashboard.person": "人员",
    "dashboard.count": "超期任务",
    "dashboard.none_overdue": "没有超期任务",
    "dashboard.hint": "用时为从任务生成到办理完成所经过的小时（按自然时间，不扣除夜间和节假日），取每个步骤最近 {n} 次办理的中位数。",
}

EN: dict[str, str] = {
    "dashboard.link": "Dashboard",
    "dashboard.title": "Dashboard: {name}",
    "dashboard.version": "Version",
    "dashboard.version_option": "version {version} ({running} running)",
    "dashboard.show": "Show",
    "dashboard.running": "Running cases of version {version}: {n}",
    "dashboard.diagram": "Where the cases wait (the number of cases waiting at each element)",
    "dashboard.heat_title": "{n} cases wait here",
    "dashboard.steps": "Steps",
    "dashboard.step": "Step",
    "dashboard.waiting": "Cases waiting",
    "dashboard.completed": "Times done",
    "dashboard.median": "Median time taken",
    "dashboard.hours": "{h} h",
    "dashboard.overdue_roles": "Overdue tasks by role",
    "dashboard.overdue_people": "Overdue tasks by person",
    "dashboard.role": "Role",
    "dashboard.person": "Person",
    "dashboard.count": "Overdue tasks",
    "dashboard.none_overdue": "Nothing is overdue",
    "dashboard.hint": "Time taken is the elapsed hours from a task's opening to its completion (clock time, nights "
                      "and holidays included): the median of each step's latest {n}.",
}
