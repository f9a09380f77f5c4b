import { CaseFacts, MAX_FEN, type CaseFactsInput } from "../../shared/case-facts.ts";
import { PeriodClock, type PeriodSettings } from "../../shared/periods.ts";
import { findFactByKey } from "../../shared/fact-catalog.ts";
import { deriveFacts } from "../engine/derive-facts.ts";
import { compileRead } from "../engine/tables.ts";
import { type Cell, compare, FIRST_MOMENT_MS, NOW } from "./cells.ts";
import type { Guarantees, Region } from "./search.ts";

/**
 * One concrete case of a region: numbers chosen inside their cells so that the fact-to-fact comparisons come out as the
 * region says, then a case built whose facts, derived ones included, are those numbers. The case is read back through
 * the engine's own derivation and kept only when every fact lands in its cell; nothing here is trusted further: each
 * finding's example is also decided by the real Decider before it is reported.
 */

export type Example = { facts: CaseFactsInput & { now: string }; parsed: CaseFacts; nowMs: number };
type Built = Omit<Example, "parsed">;

/** Cases built for one region before it counts as not realised. */
const TRIES = 48;
/**
 * Ways to build the discounts for the same numbers: a kind of discount the region leaves open added or not (bits 0, 1),
 * the coupon or the threshold discount sized for the mixed amount rather than its own (bits 2, 3).
 */
const VARIANTS = 16;

/** A valid case of the region (its `now` from `nowMs` on) whose facts land in every cell, or undefined after TRIES. */
export function realise(
  region: Region,
  guarantees: Guarantees,
  nowMs: number,
  periods: PeriodSettings,
): Example | undefined {
  let tries = 0;
  const variants = [...region.cells.keys()].some((fact) => fact.startsWith("amount.") || fact.startsWith("order.has"))
    ? VARIANTS
    : 1;
  for (const numbers of chooseNumbers(region, guarantees, new PeriodClock(nowMs, periods))) {
    for (let variant = 0; variant < variants; variant++) {
      const built = build(region, numbers, nowMs, variant);
      // every defaulted field is written: the case reads as parsed; parsing checks it once it lands
      if (lands(region, built, periods)) {
        const parsed = CaseFacts.safeParse(built.facts);
        return parsed.success ? { ...built, parsed: parsed.data } : undefined;
      }
      if (++tries >= TRIES) return undefined;
    }
  }
  return undefined;
}

/** Numbers for the region's numeric cells that satisfy its fact-to-fact outcomes and the guarantees, a few ways. */
function* chooseNumbers(region: Region, guarantees: Guarantees, clock: PeriodClock): Generator<Map<string, number>> {
  // the narrowest cells first: their numbers are the candidates of the wider ones they are compared with
  const width = (fact: string) => {
    const cell = region.cells.get(fact) as Extract<Cell, { is: "range" }>;
    return cell.hi - cell.lo;
  };
  const facts = [...region.cells]
    .filter(([, cell]) => cell.is === "range")
    .map(([fact]) => fact)
    .sort((a, b) => width(a) - width(b));
  const constraints: { x: string; y: string; holds: (x: number, y: number) => boolean }[] = [];
  for (const [atom, outcome] of region.relations) {
    // a counted duration's outcome, judged at the analysis moment (the case's own is checked once it lands)
    if (atom.other === undefined)
      constraints.push({
        x: atom.fact,
        y: atom.fact,
        holds: (x) => compare(atom.operator, x, atom.value, clock) === outcome,
      });
    else constraints.push({ x: atom.fact, y: atom.other, holds: (x, y) => compare(atom.operator, x, y) === outcome });
  }
  for (const x of facts)
    for (const y of facts) if (guarantees.has(`${x}<=${y}`)) constraints.push({ x, y, holds: (a, b) => a <= b });
  const chosen = new Map<string, number>();
  function* assign(index: number): Generator<Map<string, number>> {
    if (index === facts.length) {
      yield new Map(chosen);
      return;
    }
    const fact = facts[index]!;
    const cell = region.cells.get(fact) as Extract<Cell, { is: "range" }>;
    const candidates = new Set([cell.lo, cell.hi, cell.lo + 1, cell.hi - 1]);
    for (const { x, y } of constraints) {
      const otherFact = x === fact ? y : y === fact ? x : undefined;
      if (otherFact === undefined) continue;
      const other = chosen.get(otherFact);
      const otherCell = region.cells.get(otherFact);
      const near = other !== undefined ? [other] : otherCell?.is === "range" ? [otherCell.lo, otherCell.hi] : [];
      for (const value of near) for (const d of [0, 1, -1]) candidates.add(value + d);
    }
    for (const value of [...candidates].sort((a, b) => a - b)) {
      if (value < cell.lo || value > cell.hi) continue;
      chosen.set(fact, value);
      const broken = constraints.some(
        (c) =>
          (c.x === fact || c.y === fact) &&
          chosen.has(c.x) &&
          chosen.has(c.y) &&
          !c.holds(chosen.get(c.x)!, chosen.get(c.y)!),
      );
      if (!broken) yield* assign(index + 1);
      chosen.delete(fact);
    }
  }
  yield* assign(0);
}

const ABSENT = Symbol("absent");

/** A case whose facts are the region's values (the cells' own, or the chosen numbers), the rest left neutral. */
function build(region: Region, numbers: Map<string, number>, analysedAtMs: number, variant: number): Built {
  const value = (fact: string): unknown => {
    const cell = region.cells.get(fact);
    if (cell === undefined) return undefined;
    if (cell.is === "absent") return ABSENT;
    return cell.is === "value" ? cell.value : numbers.get(fact);
  };
  const set = <T>(fact: string, fallback: T): T => {
    const v = value(fact);
    return v === undefined || v === ABSENT ? fallback : (v as T);
  };
  const present = (fact: string): number | undefined => {
    const v = value(fact);
    return typeof v === "number" ? v : undefined;
  };

  // the moments: each elapsed time back from now, now late enough that none falls before the first year
  const elapsed = {
    shippedAt: present("elapsed.sinceShipped"),
    deliveredAt: present("elapsed.sinceDelivered"),
    completedAt: present("elapsed.sinceCompleted"),
    appliedAt: present("elapsed.sinceApplied"),
    stateSince: present("elapsed.inState"),
  };
  const longest = Math.max(0, ...Object.values(elapsed).filter((v) => v !== undefined));
  let now = present(NOW) ?? analysedAtMs;
  if (now - longest < FIRST_MOMENT_MS) now = FIRST_MOMENT_MS + longest;
  const at = (ms: number | undefined) => (ms === undefined ? undefined : new Date(now - ms).toISOString());

  // the discounts: a kind's presence, and the count of kinds
  let shop = value("order.hasShopCoupon") as boolean | undefined;
  let threshold = value("order.hasThresholdDiscount") as boolean | undefined;
  const kinds = present("order.promotionKindCount");
  if (kinds !== undefined) {
    if (shop === undefined && threshold === undefined) {
      shop = kinds >= 1;
      threshold = kinds >= 2;
    } else if (shop === undefined) shop = kinds - (threshold ? 1 : 0) >= 1;
    else if (threshold === undefined) threshold = kinds - (shop ? 1 : 0) >= 1;
  }

  // the amounts: one refunded item `a` (and an item `b` left in the order for a partial refund)
  const whole = set("refund.wholeOrder", true);
  const sevenDay = set("refund.sevenDayReturnSupported", true);
  const paidValue = value("order.paidFen");
  const shippingFee = set("order.shippingFeeFen", 0);
  const full = present("amount.fullPriceFen");
  const couponTarget = present("amount.couponProrataFen");
  const thresholdTarget = present("amount.thresholdProrataFen");
  const mixedTarget = present("amount.mixedProrataFen");
  // every amount is at most the cap (and a whole-order refund's full price is the cap): aim the cap at the largest
  const amounts = [full, couponTarget, thresholdTarget, mixedTarget].filter((a) => a !== undefined);
  const cap =
    present("amount.capFen") ?? (whole ? full : undefined) ?? (amounts.length > 0 ? Math.max(...amounts) : undefined);
  // what was refunded before is what separates the cap from what was paid, when both are asked for
  const refunded =
    present("order.refundedFen") ??
    (typeof paidValue === "number" && cap !== undefined ? Math.max(0, paidValue - cap) : 0);
  const price = Math.min(MAX_FEN, present("refund.itemsFen") ?? (whole ? cap : full) ?? cap ?? 10_000);
  const original = price + shippingFee;
  shop ??= (variant & 1) !== 0;
  threshold ??= (variant & 2) !== 0;
  let thresholdFen = threshold ? discountFor(price, price, thresholdTarget, cap) : 0;
  let couponFen = shop ? discountFor(price, original, couponTarget, cap) : 0;
  // the mixed amount prorates both discounts over the goods: size one of them so that it lands
  if (shop && variant & 4) couponFen = Math.max(0, discountFor(price, price, mixedTarget, cap) - thresholdFen);
  else if (threshold && variant & 8)
    thresholdFen = Math.max(0, discountFor(price, price, mixedTarget, cap) - couponFen);
  const paid =
    paidValue === ABSENT
      ? undefined
      : typeof paidValue === "number"
        ? paidValue
        : cap !== undefined
          ? Math.min(MAX_FEN, cap + refunded)
          : undefined;

  const promotions = [
    ...(shop ? [{ kind: "shop_coupon" as const, amountFen: couponFen }] : []),
    ...(threshold ? [{ kind: "threshold_discount" as const, amountFen: thresholdFen }] : []),
  ];
  const items = [
    { id: "a", priceFen: price, quantity: 1, ...(sevenDay ? {} : { sevenDayReturn: false }) },
    ...(whole ? [] : [{ id: "b", priceFen: 0, quantity: 1 }]),
  ];
  const state = value("refund.state");
  const requested = present("refund.requestedFen");
  const facts = {
    now: new Date(now).toISOString(),
    order: {
      status: set("order.status", "delivered"),
      productType: set("order.productType", "physical"),
      freeShipping: set("order.freeShipping", false),
      shippingFeeFen: shippingFee,
      items,
      promotions,
      ...(paid === undefined ? {} : { paidFen: paid }),
      refundedFen: refunded,
      ...optionalMoment("shippedAt", at(elapsed.shippedAt)),
      ...optionalMoment("deliveredAt", at(elapsed.deliveredAt)),
      ...optionalMoment("completedAt", at(elapsed.completedAt)),
    },
    refund: {
      ...(whole ? {} : { items: [{ id: "a", quantity: 1 }] }),
      goodsReceived: set("refund.goodsReceived", false),
      returnGoods: set("refund.returnGoods", false),
      reason: set("refund.reason", "other"),
      ...(requested === undefined ? {} : { requestedFen: requested }),
      ...(typeof state === "string" ? { state } : {}),
      ...optionalMoment("appliedAt", at(elapsed.appliedAt)),
      ...optionalMoment("stateSince", at(elapsed.stateSince)),
      exchange: set("refund.exchange", false),
    },
    shipping: {
      deliveryRefused: set("shipping.deliveryRefused", false),
      freightCollect: set("shipping.freightCollect", false),
      sellerConsentsFreightCollect: set("shipping.sellerConsentsFreightCollect", false),
      sellerAgreedToPayReturn: set("shipping.sellerAgreedToPayReturn", false),
    },
    claim: { used: set("claim.used", false) },
    problem: optionalFields({
      kind: value("problem.kind"),
      daysLate: value("problem.daysLate"),
      firstComplaint: value("problem.firstComplaint"),
    }),
  } as CaseFactsInput & { now: string };
  return { facts, nowMs: now };
}

/** The fields the region gives a value, the others (unconstrained or absent) left out. */
function optionalFields(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== ABSENT));
}

function optionalMoment(name: string, iso: string | undefined): Record<string, string> {
  return iso === undefined ? {} : { [name]: iso };
}

/** A discount that prorates `price` (of an order worth `base`) down to `target`, when there is one to aim for. */
function discountFor(price: number, base: number, target: number | undefined, cap: number | undefined): number {
  if (target === undefined || price === 0 || (cap !== undefined && target >= cap)) return 0;
  // ⌊price × (base − d) / base⌋ = target  ⇐  d = base − ⌈target × base / price⌉
  const d = base - Math.ceil((target * base) / price);
  return Math.max(0, Math.min(MAX_FEN, d));
}

/** Whether the case's facts, derived as the engine derives them, each lie in the region's cell and keep its outcomes. */
function lands(region: Region, example: Built, periods: PeriodSettings): boolean {
  const facts = deriveFacts(example.facts as CaseFacts, example.nowMs) as unknown as Record<string, unknown>;
  const read = (fact: string): unknown => {
    if (fact === NOW) return example.nowMs;
    const entry = findFactByKey(fact)!;
    return compileRead(entry.fact, entry.path)(facts);
  };
  for (const [fact, cell] of region.cells) {
    const actual = read(fact);
    if (
      cell.is === "absent" ? actual !== undefined : cell.is === "value" ? actual !== cell.value : !inRange(actual, cell)
    )
      return false;
  }
  const clock = new PeriodClock(example.nowMs, periods);
  for (const [atom, outcome] of region.relations) {
    const value = atom.other === undefined ? atom.value : read(atom.other);
    if (compare(atom.operator, read(atom.fact), value, clock) !== outcome) return false;
  }
  return true;
}

function inRange(actual: unknown, cell: { lo: number; hi: number }): boolean {
  return typeof actual === "number" && actual >= cell.lo && actual <= cell.hi;
}
