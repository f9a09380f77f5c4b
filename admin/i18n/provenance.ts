/** Strings of where a decision came from: each field's source, rules outside their window, rules overridden. */
export const zh = {
  "provenance.rule": "来自规则：{rule}",
  "provenance.default": "默认值：没有触发的规则设置这一项",
  "provenance.computed": "由系统根据其他结论和案例计算得出",
  "trace.window.upcoming": "未到生效时间",
  "trace.window.over": "已过有效期",
  "trace.window.note": "这条规则在案例时间不在有效期内，不参与决定；下面的条件仅供参考。",
  "trace.overridden": "被覆盖",
  "trace.overriddenNote":
    "这条规则触发了，但它设置的每一项都已由优先级更高（或排在前面）的规则决定，没有改变任何结论。",
  "trace.takenBy": "{field}：已由规则 {rule} 决定",
} as const;

export const en: Record<keyof typeof zh, string> = {
  "provenance.rule": "from rule: {rule}",
  "provenance.default": "default: no fired rule sets this field",
  "provenance.computed": "computed from the other fields and the case",
  "trace.window.upcoming": "not in effect yet",
  "trace.window.over": "no longer in effect",
  "trace.window.note":
    "At the case's time this rule is outside its validity window and takes no part in the decision; its conditions are shown for reference only.",
  "trace.overridden": "overridden",
  "trace.overriddenNote":
    "This rule fired, but every field it sets was already decided by a rule of higher priority (or earlier in the list): it changed nothing.",
  "trace.takenBy": "{field}: already set by rule {rule}",
};
