"""Page labels: layout."""

from __future__ import annotations

ZH: dict[str, str] = {
    # diagram and due
    "diagram.legend.flow": "已走过的连线", "diagram.legend.passes": "办理次数", "diagram.legend.cancelled": "已取消",
    "diagram.passes_title": "已办理 {n} 次", "start_form.roles": "可发起的角色",
    "start_form.required": "* 为必填字段",
    # layout
    "layout.menu": "菜单", "layout.menu_label": "打开或关闭菜单", "layout.main_nav": "主菜单",
}

EN: dict[str, str] = {
    # diagram and due
    "diagram.legend.flow": "Path taken", "diagram.legend.passes": "Times done", "diagram.legend.cancelled": "Cancelled",
    "diagram.passes_title": "Done {n} times", "start_form.roles": "Who may start",
    "start_form.required": "* marks a required field",
    # layout
    "layout.menu": "Menu", "layout.menu_label": "Open or close the menu", "layout.main_nav": "Main menu",
}
