"""Message catalogue: delivering BPMN messages to cases (API, command line, mail replies, replay)."""

from __future__ import annotations

ZH: dict[str, str] = {
    "bpmn_message.refused": "消息未送出：请求有误",
    "bpmn_message.name_missing": "必须给出消息名称（流程图中消息定义的名称）",
    "bpmn_message.not_text": "必须是文本",
    "bpmn_message.not_object": "必须是 JSON 对象（{{…}}）",
    "bpmn_message.value_not_scalar": "关联值必须是文本、数字或真假值，不能是列表或对象",
    "bpmn_message.too_large": "消息内容过大：{size} 字节，上限 {max} 字节",
    "bpmn_message.reserved": "消息不能改写案例的“{name}”（这是案例本身的事实，不是流程变量）",
    "bpmn_message.other_customer": "顾客联系人只能为本公司（{company}）发起案例",
    "bpmn_message.none_waiting": "没有您可处理的运行中案例在等待消息“{name}”{correlation}，也没有流程以此消息开始",
    "bpmn_message.with_correlation": "（关联条件 {correlation}）",
    "bpmn_message.may_not_start": "{user} 不能以消息“{name}”发起流程 {process}（发起角色：{roles}）",
    "bpmn_message.not_caught": "案例 {case} 未接收消息“{name}”",
    "bpmn_message.key_invalid": "关联条件应写成 名称=值，而不是“{given}”",
    "bpmn_message.reached": "消息“{name}”送达案例：{cases}",
    "bpmn_message.started": "消息“{name}”发起了新案例：{cases}",
    "bpmn_message.failed": "案例 {case} 未能处理消息：{error}",
    "replay.message_not_caught": "重放时案例没有接收消息“{name}”（日志记录该消息已送达）",
    "mail_in.refused_sender": "邮件 {file} 被拒：发件人 {sender} 不是可处理案例 {case} 的用户",
    "mail_in.unknown_thread": "邮件 {file} 被拒：它所答复的邮件不属于任何案例的邮件往来",
    "mail_in.unreadable": "邮件 {file} 无法读取：{error}",
    "mail_in.no_message": "邮件 {file} 被拒：案例 {case} 目前没有在等待消息“{name}”",
    "mail_in.delivered": "邮件 {file} 作为消息“{name}”送达案例 {case}",
}

EN: dict[str, str] = {
    "bpmn_message.refused": "message not delivered: the request is wrong",
    "bpmn_message.name_missing": "give the message name (the name of a bpmn:message in the diagram)",
    "bpmn_message.not_text": "must be text",
    "bpmn_message.not_object": "must be a JSON object ({{…}})",
    "bpmn_message.value_not_scalar": "a correlation value must be text, a number or true/false, not a list or object",
    "bpmn_message.too_large": "the message is too large: {size} bytes, at most {max}",
    "bpmn_message.reserved": "a message may not change the case's '{name}' (a fact of the case, not a process variable)",
    "bpmn_message.other_customer": "a customer contact may start cases for their own company ({company}) only",
    "bpmn_message.none_waiting": "no running case you may act on waits for the message '{name}'{correlation}, and no "
                                 "process starts with it",
    "bpmn_message.with_correlation": " (correlation {correlation})",
    "bpmn_message.may_not_start": "{user} may not start {process} with the message '{name}' (start roles: {roles})",
    "bpmn_message.not_caught": "case {case} did not take the message '{name}'",
    "bpmn_message.key_invalid": "write --key as name=value, not '{given}'",
    "bpmn_message.reached": "message '{name}' reached cases: {cases}",
    "bpmn_message.started": "message '{name}' started cases: {cases}",
    "bpmn_message.failed": "case {case} could not take the message: {error}",
    "replay.message_not_caught": "in the replay the case did not take the message '{name}' (the log says it was "
                                 "delivered)",
    "mail_in.refused_sender": "mail {file} refused: the sender {sender} is not a user who may act on case {case}",
    "mail_in.unknown_thread": "mail {file} refused: its In-Reply-To / References belong to no case's mails",
    "mail_in.unreadable": "mail {file} cannot be read: {error}",
    "mail_in.no_message": "mail {file} refused: case {case} does not wait for the message '{name}' now",
    "mail_in.delivered": "mail {file} delivered to case {case} as the message '{name}'",
}
