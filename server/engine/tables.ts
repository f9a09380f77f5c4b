import { splitPath } from "../../shared/dotted-path.ts";
import { durationMs } from "../../shared/duration.ts";
import { DEFAULT_BUSINESS_TIME_ZONE } from "../../shared/business-time.ts";
import { type CountedDurationObject, countedValue, PeriodClock, type PeriodSettings } from "../../shared/periods.ts";
import { weekendsOnly } from "../../shared/working-calendar.ts";
import type { LeafCondition } from "../../shared/rules.ts";

/**
 * The flat tables a compiled rule set evaluates from: the facts it reads (`FactTable`, a slot per
 * fact + path, read at most once an evaluation), its leaf conditions (`LeafTable`, each a slot, an
 * operator and a value) and the groups over them (`ConditionTable`: all, any, not, references to
 * shared conditions). Everything refers to everything else by number, so that deciding walks
 * arrays rather than a tree of closures scattered over the heap (whose cache misses dominate large
 * rule sets), and json-rules-engine's semantics live in one place each: a leaf's in
 * `LeafTable.holds`, a group's in `ConditionTable.holds`.
 */

export type Facts = Record<string, unknown>;

type Operator = {
  validate: (factValue: unknown) => boolean;
  /** `clock` is the evaluation's, for a duration counted in days or business hours (shared/periods.ts). */
  // biome-ignore lint/suspicious/noExplicitAny: json-rules-engine's operators apply JavaScript's own semantics to any JSON value (`<` on text, indexOf on a string)
  evaluate: (factValue: any, value: any, clock?: PeriodClock) => boolean;
};

const always = () => true;
const isNumeric = (v: unknown) =>
  typeof v === "number" ? !Number.isNaN(v) : Number.parseFloat(v as string).toString() !== "NaN";
const isFiniteNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/** Where periods are counted when a caller names nowhere: the default business zone, weekends only. */
export const DEFAULT_PERIODS: PeriodSettings = { zone: DEFAULT_BUSINESS_TIME_ZONE, calendar: weekendsOnly };

/** json-rules-engine's default operators and the product's duration operators, with their validators. */
export const operators: Record<string, Operator> = {
  equal: { validate: always, evaluate: (a, b) => a === b },
  notEqual: { validate: always, evaluate: (a, b) => a !== b },
  in: { validate: always, evaluate: (a, b) => b.indexOf(a) > -1 },
  notIn: { validate: always, evaluate: (a, b) => b.indexOf(a) === -1 },
  contains: { validate: Array.isArray, evaluate: (a, b) => a.indexOf(b) > -1 },
  doesNotContain: { validate: Array.isArray, evaluate: (a, b) => a.indexOf(b) === -1 },
  lessThan: { validate: isNumeric, evaluate: (a, b) => a < b },
  lessThanInclusive: { validate: isNumeric, evaluate: (a, b) => a <= b },
  greaterThan: { validate: isNumeric, evaluate: (a, b) => a > b },
  greaterThanInclusive: { validate: isNumeric, evaluate: (a, b) => a >= b },
  withinDuration: {
    validate: isFiniteNumber,
    evaluate: (a, b, clock) =>
      typeof b === "string" ? a <= (durationMs(b) ?? Number.NaN) : comparePeriod(a, b, clock, false),
  },
  beyondDuration: {
    validate: isFiniteNumber,
    evaluate: (a, b, clock) =>
      typeof b === "string" ? a > (durationMs(b) ?? Number.NaN) : comparePeriod(a, b, clock, true),
  },
};

/** A duration operator on the object form: false for a value that is none, or, without a clock, one counted in days. */
function comparePeriod(elapsed: number, value: unknown, clock: PeriodClock | undefined, beyond: boolean): boolean {
  const counted = countedValue(value);
  if (counted === undefined) return false;
  if (counted.counting === "elapsed") {
    const ms = durationMs(counted.duration) ?? Number.NaN;
    return beyond ? elapsed > ms : elapsed <= ms;
  }
  return clock?.compare(elapsed, counted, beyond) === true;
}

/** Reads `fact` then the dotted `path`, as json-rules-engine does with the product's path resolver. */
export function compileRead(fact: string, path: string | undefined): (facts: Facts) => unknown {
  if (!path) return (facts) => (Object.hasOwn(facts, fact) ? facts[fact] : undefined);
  const keys = splitPath(path);
  return (facts) => {
    const value = Object.hasOwn(facts, fact) ? facts[fact] : undefined;
    return value === null || typeof value !== "object" ? value : readPath(value as Facts, keys);
  };
}

/** The dotted path's value in a fact that is an object, own keys only. */
function readPath(value: Facts, keys: readonly string[]): unknown {
  if (keys.length === 1) return Object.hasOwn(value, keys[0]!) ? value[keys[0]!] : undefined;
  let current: unknown = value;
  for (const key of keys) {
    if (current === null || typeof current !== "object" || !Object.hasOwn(current, key)) return undefined;
    current = (current as Facts)[key];
  }
  return current;
}

/**
 * Every fact + path a rule set compares, a slot each, and the values one evaluation has read:
 * a slot is read when a condition first compares it, then found by index (reading costs more
 * than the comparison it feeds: own-property checks, and property loads that see facts of many
 * shapes). A path's slot reads from its fact's slot, so each fact is looked up once. One table per
 * compiled rule set, reused: an evaluation runs to its end synchronously, so two never share it
 * (the last one's facts stay referenced until the next begins). Facts are plain data: reading a
 * value once finds what reading it at each comparison would.
 */
export class FactTable {
  readonly #slots = new Map<string, Map<string, number>>();
  /** By slot: the fact, its slot (−1 for a fact's own slot) and the path's keys. */
  readonly #fact: string[] = [];
  readonly #parent: number[] = [];
  readonly #key: (string | undefined)[] = [];
  readonly #keys: string[][] = [];
  #facts: Facts = {};
  #evaluation = 0;
  #clock: PeriodClock | undefined;
  #nowMs: number | undefined;
  /** By slot: the evaluation that last read it (0: none, they count from 1), and the value it read. */
  #readIn = new Float64Array(0);
  #values: unknown[] = [];

  /** The slot of `fact` + `path`, one per distinct read (no path and an empty one read alike). */
  slot(fact: string, path: string | undefined): number {
    const paths = this.#slots.get(fact) ?? this.#slots.set(fact, new Map()).get(fact)!;
    const known = paths.get(path || "");
    if (known !== undefined) return known;
    const parent = path ? this.slot(fact, undefined) : -1;
    const keys = splitPath(path);
    const slot = this.#fact.push(fact) - 1;
    this.#parent.push(parent);
    this.#key.push(keys.length === 1 ? keys[0] : undefined);
    this.#keys.push(keys);
    paths.set(path || "", slot);
    return slot;
  }

  /** The evaluation's clock, which counted durations are compared by. */
  get clock(): PeriodClock {
    this.#clock ??= new PeriodClock(this.#nowMs ?? Date.now(), DEFAULT_PERIODS);
    return this.#clock;
  }

  /** The evaluation under way, counted from 1: what other tables key their per-evaluation memory by. */
  get evaluation(): number {
    return this.#evaluation;
  }

  /**
   * Starts an evaluation of `facts` with `clock` (else one made when a counted duration first needs it, at `nowMs` or
   * the server's clock, in the default zone with weekends only): nothing is read yet.
   */
  begin(facts: Facts, clock?: PeriodClock, nowMs?: number): void {
    this.#clock = clock;
    this.#nowMs = nowMs;
    if (this.#readIn.length !== this.#fact.length) {
      this.#readIn = new Float64Array(this.#fact.length);
      this.#values = this.#fact.map(() => undefined);
    }
    this.#facts = facts;
    this.#evaluation++;
  }

  /** The slot's value in this evaluation's facts, as compileRead reads it. */
  value(slot: number): unknown {
    return this.#readIn[slot] === this.#evaluation ? this.#values[slot] : this.#read(slot);
  }

  #read(slot: number): unknown {
    const parent = this.#parent[slot]!;
    let value: unknown;
    if (parent === -1) {
      const fact = this.#fact[slot]!;
      value = Object.hasOwn(this.#facts, fact) ? this.#facts[fact] : undefined;
    } else {
      value = this.#readIn[parent] === this.#evaluation ? this.#values[parent] : this.#read(parent);
      const key = this.#key[slot];
      if (value !== null && typeof value === "object") {
        value =
          key === undefined
            ? readPath(value as Facts, this.#keys[slot]!)
            : Object.hasOwn(value, key)
              ? (value as Facts)[key]
              : undefined;
      }
    }
    this.#values[slot] = value;
    this.#readIn[slot] = this.#evaluation;
    return value;
  }
}

/** How a leaf compares its slot's value; what `constant` holds depends on it. */
const EQUAL = 0; // the value
const NOT_EQUAL = 1; // the value
const IN = 2; // a Set of the listed strings (or of the values a need accepts, see `need`)
const NOT_IN = 3; // a Set of the listed strings
const WITHIN = 4; // the duration in ms (NaN when it is none)
const BEYOND = 5; // the duration in ms
const OPERATOR = 6; // the value, for the operator's own validate + evaluate
const FACT = 7; // nothing: the value is another slot's, for the operator's validate + evaluate
const COUNTED_WITHIN = 8; // the CountedDurationObject, counted in days or business hours with the evaluation's clock
const COUNTED_BEYOND = 9; // the CountedDurationObject

/** Every leaf condition of a rule set, by number. */
export class LeafTable {
  readonly #slot: number[] = [];
  readonly #kind: number[] = [];
  readonly #constant: unknown[] = [];
  readonly #operator: Operator[] = [];
  readonly #valueSlot: number[] = [];
  /** The leaf `need` made for a set of values. */
  readonly #needs = new Map<Set<unknown>, number>();

  /**
   * Adds a leaf whose operator is known (`operators`), reading `slot` and, when its value is
   * another fact, `valueSlot`; `value` is already the leaf's private copy.
   */
  add(condition: LeafCondition, slot: number, value: unknown, valueSlot: number | undefined): number {
    const operator = operators[condition.operator]!;
    let kind = OPERATOR;
    let constant = value;
    if (valueSlot !== undefined) kind = FACT;
    else if (condition.operator === "equal") kind = EQUAL;
    else if (condition.operator === "notEqual") kind = NOT_EQUAL;
    else if (
      (condition.operator === "in" || condition.operator === "notIn") &&
      Array.isArray(value) &&
      value.every((v) => typeof v === "string")
    ) {
      // indexOf and Set.has agree on strings; on anything else (NaN) they may not
      kind = condition.operator === "in" ? IN : NOT_IN;
      constant = new Set(value);
    } else if (
      (condition.operator === "withinDuration" || condition.operator === "beyondDuration") &&
      typeof value === "string"
    ) {
      kind = condition.operator === "withinDuration" ? WITHIN : BEYOND;
      constant = durationMs(value) ?? Number.NaN;
    } else if (
      (condition.operator === "withinDuration" || condition.operator === "beyondDuration") &&
      countedValue(value) !== undefined
    ) {
      const counted = countedValue(value)!;
      const within = condition.operator === "withinDuration";
      // the object form of elapsed time is the plain string's comparison
      if (counted.counting === "elapsed") {
        kind = within ? WITHIN : BEYOND;
        constant = durationMs(counted.duration) ?? Number.NaN;
      } else {
        kind = within ? COUNTED_WITHIN : COUNTED_BEYOND;
        constant = counted;
      }
    }
    this.#slot.push(slot);
    this.#kind.push(kind);
    this.#constant.push(constant);
    this.#operator.push(operator);
    this.#valueSlot.push(valueSlot ?? -1);
    return this.#slot.length - 1;
  }

  /**
   * A leaf no condition has: the slot holds one of `values` (primitives, no NaN, which a Set finds
   * exactly when `===` does), a need the index checks before it evaluates a rule.
   */
  need(slot: number, values: Set<unknown>): number {
    // the same need asked again (an index built again for a rule set's windows) is the same leaf, not one more
    const known = this.#needs.get(values);
    if (known !== undefined && this.#slot[known] === slot) return known;
    this.#needs.set(values, this.#slot.length);
    this.#slot.push(slot);
    this.#kind.push(IN);
    this.#constant.push(values);
    this.#operator.push(operators.in!);
    this.#valueSlot.push(-1);
    return this.#slot.length - 1;
  }

  slotOf(leaf: number): number {
    return this.#slot[leaf]!;
  }

  /** Whether `leaf` holds for the facts being evaluated: the operator's validator on the fact's value, then the operator. */
  holds(leaf: number, facts: FactTable): boolean {
    const value = facts.value(this.#slot[leaf]!);
    switch (this.#kind[leaf]) {
      case EQUAL:
        return value === this.#constant[leaf];
      case NOT_EQUAL:
        return value !== this.#constant[leaf];
      case IN:
        return (this.#constant[leaf] as Set<unknown>).has(value);
      case NOT_IN:
        return !(this.#constant[leaf] as Set<unknown>).has(value);
      case WITHIN:
        return isFiniteNumber(value) && value <= (this.#constant[leaf] as number);
      case BEYOND:
        return isFiniteNumber(value) && value > (this.#constant[leaf] as number);
      case COUNTED_WITHIN:
      case COUNTED_BEYOND:
        return (
          isFiniteNumber(value) &&
          facts.clock.compare(value, this.#constant[leaf] as CountedDurationObject, this.#kind[leaf] === COUNTED_BEYOND)
        );
      case OPERATOR: {
        const { validate, evaluate } = this.#operator[leaf]!;
        // a valid counted duration is a COUNTED leaf: what is left here needs no clock
        return validate(value) && evaluate(value, this.#constant[leaf]);
      }
      default: {
        const { validate, evaluate } = this.#operator[leaf]!;
        return validate(value) && evaluate(value, facts.value(this.#valueSlot[leaf]!));
      }
    }
  }
}

const LEAF = 0; // arg: the leaf
const ALL = 1; // children
const ANY = 2; // children
const NOT = 3; // arg: the condition negated
const REFERENCE = 4; // arg: the shared condition's root
const BROKEN = 5; // arg: the error a shared condition that does not compile throws when evaluated

/** Every condition of a rule set (leaves, groups, references), by number, over its leaves. */
export class ConditionTable {
  readonly #leaves: LeafTable;
  readonly #kind: number[] = [];
  readonly #arg: number[] = [];
  /** A group's children are children[childrenFrom[node]] to children[childrenTo[node] − 1]. */
  readonly #childrenFrom: number[] = [];
  readonly #childrenTo: number[] = [];
  readonly #children: number[] = [];
  readonly #errors: unknown[] = [];
  /**
   * By node, for references: the evaluation that last settled it (0: none) and whether it held, so
   * that a shared condition is evaluated once an evaluation however often it is referenced.
   */
  #settledIn = new Float64Array(0);
  #held = new Uint8Array(0);

  constructor(leaves: LeafTable) {
    this.#leaves = leaves;
  }

  leaf(leaf: number): number {
    return this.#add(LEAF, leaf);
  }

  group(kind: "all" | "any", children: readonly number[]): number {
    const node = this.#add(kind === "all" ? ALL : ANY, -1);
    this.#childrenFrom[node] = this.#children.length;
    for (const child of children) this.#children.push(child);
    this.#childrenTo[node] = this.#children.length;
    return node;
  }

  not(condition: number): number {
    return this.#add(NOT, condition);
  }

  /** A reference whose target is set later (`resolve`), so that shared conditions may refer to each other. */
  reference(): number {
    return this.#add(REFERENCE, -1);
  }

  resolve(reference: number, target: number): void {
    this.#arg[reference] = target;
  }

  /** Makes a reference throw `error` when evaluated. */
  break(reference: number, error: unknown): void {
    this.#kind[reference] = BROKEN;
    this.#arg[reference] = this.#errors.push(error) - 1;
  }

  /**
   * Whether `node` holds: json-rules-engine's `all` is every and `any` some (both true when
   * empty), taken in order and stopping at the first child that settles it (the engine evaluates
   * them all, but a valid leaf has no effect beyond its result); `not` negates; a reference
   * evaluates the shared condition the first time, and later gives the same result (facts do not
   * change during an evaluation), so any graph of references costs work linear in its size.
   */
  holds(node: number, facts: FactTable): boolean {
    switch (this.#kind[node]) {
      case LEAF:
        return this.#leaves.holds(this.#arg[node]!, facts);
      case ALL: {
        const to = this.#childrenTo[node]!;
        for (let child = this.#childrenFrom[node]!; child < to; child++)
          if (!this.holds(this.#children[child]!, facts)) return false;
        return true;
      }
      case ANY: {
        const from = this.#childrenFrom[node]!;
        const to = this.#childrenTo[node]!;
        for (let child = from; child < to; child++) if (this.holds(this.#children[child]!, facts)) return true;
        return from === to;
      }
      case NOT:
        return !this.holds(this.#arg[node]!, facts);
      case REFERENCE: {
        const evaluation = facts.evaluation;
        if (this.#settledIn.length !== this.#kind.length) this.#size();
        else if (this.#settledIn[node] === evaluation) return this.#held[node] === 1;
        const held = this.holds(this.#arg[node]!, facts);
        // settled once evaluated, never assumed while its evaluation is under way
        this.#settledIn[node] = evaluation;
        this.#held[node] = held ? 1 : 0;
        return held;
      }
      default:
        throw this.#errors[this.#arg[node]!];
    }
  }

  /** Memory for every node, all unsettled: the table is complete once evaluations begin. */
  #size(): void {
    this.#settledIn = new Float64Array(this.#kind.length);
    this.#held = new Uint8Array(this.#kind.length);
  }

  #add(kind: number, arg: number): number {
    this.#kind.push(kind);
    this.#arg.push(arg);
    this.#childrenFrom.push(0);
    this.#childrenTo.push(0);
    return this.#kind.length - 1;
  }
}
