import { cleanup, render, screen } from "@solidjs/testing-library";
import { userEvent } from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { I18nProvider } from "../../i18n/index.tsx";
import { reviewActions, type Review } from "./review-state.ts";
import { ReviewStatusView, type Schedule } from "./review-status.tsx";

function aReview(overrides: Partial<Review> = {}): Review {
  return {
    id: "r1",
    draftRevision: 7,
    status: "pending",
    note: "双十一延长退货时限",
    submittedBy: "user:editor1",
    submittedAt: "2026-11-01T02:00:00.000Z",
    reviewedBy: null,
    reviewedAt: null,
    comment: null,
    current: true,
    ...overrides,
  };
}

function aSchedule(overrides: Partial<Schedule> = {}): Schedule {
  return {
    id: "s1",
    version: 5,
    startsAt: "2026-11-10T16:00:00.000Z",
    endsAt: "2026-11-12T16:00:00.000Z",
    handBackVersion: null,
    status: "scheduled",
    ...overrides,
  };
}

type Summary = Parameters<typeof ReviewStatusView>[0]["summary"];
const base: Summary = {
  draftDiffers: true,
  review: null,
  fourEyes: true,
  activeVersion: 4,
  nextSchedule: null,
  publishedAt: "2026-10-01T00:00:00.000Z",
};
const waiting = {
  id: "s1",
  version: 5,
  startsAt: "2026-11-10T16:00:00.000Z",
  endsAt: null,
  status: "scheduled" as const,
};

function renderStrip(summary: Partial<Summary>, schedules: Schedule[] = [], onCancel = vi.fn(), canCancel = true) {
  render(() => (
    <I18nProvider>
      <ReviewStatusView
        summary={{ ...base, ...summary }}
        schedules={schedules}
        canCancel={canCancel}
        onCancel={onCancel}
      />
    </I18nProvider>
  ));
  return screen.getByTestId("review-status");
}

describe("the review status strip", () => {
  beforeEach(() => localStorage.setItem("asr.lang", "zh"));
  afterEach(() => {
    cleanup();
    localStorage.clear();
  });

  it.each([
    {
      name: "draft equal to the active version",
      summary: { draftDiffers: false },
      state: "none",
      text: "草稿与当前版本一致",
    },
    { name: "edited, never submitted", summary: {}, state: "none", text: "有未提交审核的修改" },
    { name: "edited with four-eyes off", summary: { fourEyes: false }, state: "none", text: "有未发布的修改" },
    { name: "waiting for review", summary: { review: aReview() }, state: "pending", text: "待审核：editor1 于" },
    {
      name: "approved",
      summary: {
        review: aReview({
          status: "approved",
          reviewedBy: "user:publisher1",
          reviewedAt: "2026-11-01T03:00:00.000Z",
          comment: "看过了",
        }),
      },
      state: "approved",
      text: "已批准：publisher1",
    },
    {
      name: "rejected",
      summary: {
        review: aReview({
          status: "rejected",
          reviewedBy: "user:publisher1",
          reviewedAt: "2026-11-01T03:00:00.000Z",
          comment: "运费规则写反了",
        }),
      },
      state: "rejected",
      text: "已驳回：publisher1：运费规则写反了",
    },
    {
      name: "withdrawn after approval",
      summary: {
        review: aReview({
          status: "withdrawn",
          current: false,
          reviewedBy: "user:publisher1",
          reviewedAt: "2026-11-01T03:00:00.000Z",
        }),
      },
      state: "withdrawn",
      text: "审核已撤回（草稿在批准后又被修改）",
    },
    {
      name: "withdrawn before any decision",
      summary: { review: aReview({ status: "withdrawn", current: false }) },
      state: "withdrawn",
      text: "草稿在提交后又被修改",
    },
    {
      name: "rejected, then edited again",
      summary: {
        review: aReview({ status: "rejected", current: false, reviewedBy: "user:publisher1", comment: "不行" }),
      },
      state: "none",
      text: "有未提交审核的修改",
    },
    {
      name: "published as a scheduled version",
      summary: { review: aReview({ status: "published" }), nextSchedule: waiting },
      state: "published",
      text: "等待定时生效",
    },
    {
      name: "published for later, then the schedule cancelled",
      summary: { review: aReview({ status: "published" }) },
      state: "none",
      text: "有未提交审核的修改",
    },
    {
      name: "withdrawn, but published without it since (four-eyes off)",
      summary: { review: aReview({ status: "withdrawn", current: false }), publishedAt: "2026-11-02T00:00:00.000Z" },
      state: "none",
      text: "有未提交审核的修改",
    },
    {
      name: "published while a review waited (four-eyes off)",
      summary: { draftDiffers: false, review: aReview() },
      state: "none",
      text: "草稿与当前版本一致",
    },
    {
      name: "published and active",
      summary: { draftDiffers: false, review: aReview({ status: "published" }) },
      state: "published",
      text: "草稿与当前版本一致",
    },
  ])("$name: data-state $state", ({ summary, state, text }) => {
    const strip = renderStrip(summary);
    expect(strip.dataset.state).toBe(state);
    expect(strip.textContent).toContain(text);
  });

  it("shows the submitter's note while the draft waits", () => {
    expect(renderStrip({ review: aReview() }).textContent).toContain("说明：双十一延长退货时限");
  });

  it("lists a schedule with the version that comes back, and cancels only one not yet started", async () => {
    const onCancel = vi.fn();
    const strip = renderStrip(
      {},
      [
        aSchedule(),
        aSchedule({ id: "s0", version: 3, status: "active", handBackVersion: 2, startsAt: "2026-10-01T00:00:00.000Z" }),
      ],
      onCancel,
    );
    expect(strip.textContent).toMatch(/已安排：v5 将于 .+ 生效，.+ 恢复 v4/);
    expect(strip.textContent).toMatch(/v3 正在生效，将于 .+ 恢复 v2/);
    const cancel = screen.getAllByRole("button", { name: "取消" });
    expect(cancel).toHaveLength(1);
    await userEvent.setup().click(cancel[0]!);
    expect(onCancel).toHaveBeenCalledWith(expect.objectContaining({ id: "s1" }));
  });

  it("offers no cancelling to someone who may not publish", () => {
    renderStrip({}, [aSchedule()], vi.fn(), false);
    expect(screen.queryByRole("button", { name: "取消" })).toBeNull();
  });
});

describe("who may do what with the draft", () => {
  const detail = (overrides: Partial<Parameters<typeof reviewActions>[0]> = {}) => ({
    draftDiffers: true,
    fourEyes: true,
    review: null,
    draft: { updatedBy: "user:editor1" } as Parameters<typeof reviewActions>[0]["draft"],
    ...overrides,
  });
  const as = (username: string, role: "editor" | "publisher") => ({
    username,
    can: (scope: string) =>
      scope === "rules:write" || (role === "publisher" && (scope === "rules:review" || scope === "rules:publish")),
  });

  it("an editor submits an edited draft; nobody publishes it unreviewed", () => {
    expect(reviewActions(detail(), as("editor1", "editor"))).toEqual({
      submit: true,
      review: false,
      reviewByAnother: false,
      publish: false,
    });
    expect(reviewActions(detail(), as("publisher1", "publisher")).publish).toBe(false);
  });

  it("a publisher reviews a draft someone else wrote; its author is told to ask another", () => {
    const pending = detail({ review: aReview() });
    expect(reviewActions(pending, as("publisher1", "publisher"))).toMatchObject({
      submit: false,
      review: true,
      reviewByAnother: false,
    });
    expect(
      reviewActions({ ...pending, draft: { updatedBy: "user:publisher1" } as never }, as("publisher1", "publisher")),
    ).toMatchObject({ review: false, reviewByAnother: true });
  });

  it("publishing opens once approved, or at once when four-eyes is off", () => {
    const approved = detail({ review: aReview({ status: "approved", reviewedBy: "user:publisher1" }) });
    expect(reviewActions(approved, as("publisher1", "publisher")).publish).toBe(true);
    expect(reviewActions(approved, as("editor1", "editor")).publish).toBe(false);
    expect(reviewActions(detail({ fourEyes: false }), as("publisher1", "publisher"))).toMatchObject({
      submit: false,
      publish: true,
    });
  });
});
