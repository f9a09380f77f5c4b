import type { Generated } from "kysely";
import type { DecisionLogColumns } from "../decision-log/record-fields.ts";

/** Tables as stored: timestamps are ISO 8601 UTC text, JSON is text, so the SQL stays portable. */
export interface Database {
  rule_sets: {
    key: string;
    name: string;
    description: string;
    draft: string;
    draft_revision: number;
    draft_updated_at: string;
    draft_updated_by: string;
    active_version: number | null;
    created_at: string;
    four_eyes: Generated<number>;
    draft_editors: Generated<string>;
  };
  rule_set_versions: {
    rule_set_key: string;
    version: number;
    definition: string;
    note: string;
    published_at: string;
    published_by: string;
    rolled_back_from: number | null;
    /** The test cases the version was published with (JSON); null for versions published before they were kept. */
    test_cases: string | null;
  };
  /** Each saved draft revision's content, for merging a save based on an older one; the latest 200 per rule set. */
  draft_revisions: {
    rule_set_key: string;
    revision: number;
    definition: string;
    saved_by: string;
    saved_at: string;
  };
  test_cases: {
    rule_set_key: string;
    position: number;
    name: string;
    facts: string;
    expect: string;
  };
  api_keys: {
    id: string;
    name: string;
    secret_hash: string;
    scopes: string;
    rule_sets: string | null;
    created_at: string;
    created_by: string;
    revoked_at: string | null;
    expires_at: string | null;
    /** Written from memory at most once a minute, so it may lag by that much. */
    last_used_at: string | null;
  };
  users: {
    id: string;
    username: string;
    password_hash: string;
    role: string;
    created_at: string;
    /** 0 or 1: integers, since SQLite has no boolean type. */
    disabled: Generated<number>;
    last_sign_in_at: string | null;
    /** The name the admin shows (王芳); null: the username. */
    display_name: string | null;
  };
  audit_log: {
    id: string;
    at: string;
    actor: string;
    action: string;
    entity: string;
    entity_key: string;
    detail: string;
  };
  /** Its columns come from the decision log's field table (decision-log/record-fields.ts). */
  decision_log: DecisionLogColumns;
  /** Decisions per rule set, hour (its start, ISO 8601 UTC) and version, per outcome: kept as the log is written. */
  decision_stats: { rule_set: string; hour: string; version: number; outcome: string; decisions: number };
  /** Fires per rule set, hour, version and rule: kept as the log is written. */
  rule_hit_stats: { rule_set: string; hour: string; version: number; rule: string; hits: number };
  /** Who has each draft open: a row per (rule set, actor), refreshed by each heartbeat. */
  draft_presence: { rule_set_key: string; actor: string; name: string; since: string; seen_at: string };
  /** Impact replays, running and finished, read by any instance; `result` is the ImpactResult's JSON. */
  impact_jobs: {
    id: string;
    rule_set_key: string;
    status: string;
    draft_revision: number;
    period_from: string;
    period_to: string;
    record_limit: number;
    total: number;
    replayed: number;
    started_at: string;
    heartbeat_at: string;
    finished_at: string | null;
    error: string | null;
    result: string | null;
  };
  /** Each saved version of a year of the working-day calendar; the highest is the year's arrangement. Days are JSON. */
  calendar_versions: {
    year: number;
    version: number;
    holidays: string;
    workdays: string;
    note: string;
    saved_at: string;
    saved_by: string;
    restored_from: number | null;
  };
  /** rate-limiter-flexible's RateLimiterPostgres table (sign-in throttle on PostgreSQL); `expire` in epoch ms. */
  login_throttle: { key: string; points: number; expire: number | null };
  /** Reply templates: the draft editors save (on its revision) and the version renders read. */
  reply_templates: {
    key: string;
    title: string;
    text_zh: string;
    text_en: string;
    draft_revision: number;
    draft_updated_at: string;
    draft_updated_by: string;
    restored_from: number | null;
    published_version: number | null;
    created_at: string;
  };
  reply_template_versions: {
    template_key: string;
    version: number;
    title: string;
    text_zh: string;
    text_en: string;
    note: string;
    published_at: string;
    published_by: string;
    restored_from: number | null;
  };
  sessions: {
    id_hash: string;
    user_id: string;
    created_at: string;
    last_seen_at: string;
    expires_at: string;
  };
  reviews: {
    id: string;
    rule_set_key: string;
    draft_revision: number;
    status: string;
    note: string;
    submitted_by: string;
    submitted_at: string;
    reviewed_by: string | null;
    reviewed_at: string | null;
    comment: string | null;
  };
  activations: {
    id: string;
    rule_set_key: string;
    version: number;
    activated_at: string;
    cause: string;
  };
  schedules: {
    id: string;
    rule_set_key: string;
    version: number;
    starts_at: string;
    ends_at: string | null;
    hand_back_version: number | null;
    status: string;
    created_by: string;
    created_at: string;
  };
}
