/**
 * The decisions' schemas and vocabulary. Each rule-set kind lives in its own module under kinds/ (the registry is
 * kinds/index.ts); this file gathers their exports for the code that names them directly.
 */
export { Reason } from "./kinds/kind.ts";
export { channels, formulas, EligibilityDecision, EligibilityParams } from "./kinds/refund-eligibility.ts";
export { parties, settlements, ShippingDecision, ShippingParams } from "./kinds/shipping-fee.ts";
export { causes, playbookActions, replyTemplates, PlaybookDecision, PlaybookParams } from "./kinds/service-playbook.ts";
export { timerStarts, TimerSpec, Timer, TimeoutsDecision, TimeoutsParams } from "./kinds/timeouts.ts";
export { ruleSetKinds, ruleSetKindNames, isRuleSetKind, type RuleSetKind } from "./kinds/index.ts";
