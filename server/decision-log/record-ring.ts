import { RECORD_FIELDS, type DecisionRecord, type RecordValues } from "./record-fields.ts";

/**
 * The decision log's queue: records encoded as bytes in a ring of shared memory, written by the thread that answers
 * decisions and read by the log's writer thread (or, without one, by the same thread).
 *
 * Shared memory rather than objects sent with postMessage: a record is one string write into memory the garbage
 * collector never scans, read where it is by the writer thread, so nothing is cloned, promoted or collected.
 *
 * One writer (`push`) and one reader (`read`, then `release` once the records are committed): positions are published
 * with Atomics, and the bytes written before a position is published are visible to a thread that loads it. Records
 * not released stay in the ring, so a reader that dies leaves them to the next one.
 *
 * A record, laid out from RECORD_FIELDS: its size, its numbers (a time as a float64, the others as uint32), the length
 * of each of its strings, then the strings concatenated as UTF-16, padded to 4 bytes. UTF-16 rather than UTF-8: a
 * string's size is known before it is written, and it is faster to write and read. A record that does not fit at the
 * end of the ring starts again at its beginning, after a wrap mark.
 */
export class RecordRing {
  /** Bytes of data, a multiple of 4. */
  readonly capacity: number;
  readonly #positions: Int32Array;
  readonly #bytes: Buffer;
  readonly #view: DataView;
  /** The writer's own copy of the write position (it is the only one that moves it). */
  #write: number;

  constructor(readonly shared: SharedArrayBuffer) {
    this.capacity = shared.byteLength - HEADER_BYTES;
    if (this.capacity <= 0 || this.capacity % 4 !== 0)
      throw new Error(`a record ring needs a multiple of 4 bytes after its ${HEADER_BYTES}-byte header`);
    this.#positions = new Int32Array(shared, 0, 2);
    this.#bytes = Buffer.from(shared, HEADER_BYTES, this.capacity);
    this.#view = new DataView(shared, HEADER_BYTES, this.capacity);
    this.#write = Atomics.load(this.#positions, WRITE);
  }

  /** A new, empty ring of `capacity` bytes (rounded up to a multiple of 4). */
  static create(capacity: number): RecordRing {
    return new RecordRing(new SharedArrayBuffer(HEADER_BYTES + Math.ceil(capacity / 4) * 4));
  }

  /** Whether nothing is waiting to be read and released. */
  get empty(): boolean {
    return Atomics.load(this.#positions, READ) === Atomics.load(this.#positions, WRITE);
  }

  /** Appends `record`; false, and nothing written, when the ring has no room for it. */
  push(record: DecisionRecord): boolean {
    const text = textOf(record);
    const size = RECORD_HEADER_BYTES + text.length * 2;
    const start = this.#place(size);
    if (start < 0) return false;
    this.#bytes.write(text, start + RECORD_HEADER_BYTES, "utf16le");
    this.#view.setUint32(start, size, true);
    writeHeader(this.#view, start, record);
    const end = start + padded(size);
    this.#write = end === this.capacity ? 0 : end;
    Atomics.store(this.#positions, WRITE, this.#write);
    return true;
  }

  /**
   * Where a record of `size` bytes goes, after a wrap mark if it must start again at the beginning; -1 when it
   * does not fit. The write position never catches up with the read position: equal means empty.
   */
  #place(size: number): number {
    const need = padded(size);
    const read = Atomics.load(this.#positions, READ);
    const write = this.#write;
    if (write >= read) {
      const end = write + need;
      if (end < this.capacity || (end === this.capacity && read > 0)) return write;
      if (need >= read) return -1;
      this.#view.setUint32(write, WRAP, true);
      return 0;
    }
    return need < read - write ? write : -1;
  }

  /**
   * Up to `max` records from the read position on, as RecordValues, without releasing them; `next` is where reading
   * stopped, to pass to `release` once they are safely written.
   */
  read(max: number): { values: RecordValues; count: number; next: number } {
    const values: RecordValues = [];
    const view = this.#view;
    const write = Atomics.load(this.#positions, WRITE);
    let at = Atomics.load(this.#positions, READ);
    let count = 0;
    while (at !== write && count < max) {
      const size = view.getUint32(at, true);
      if (size === WRAP) {
        at = 0;
        continue;
      }
      readRecord(view, this.#bytes.toString("utf16le", at + RECORD_HEADER_BYTES, at + size), at, values);
      count++;
      at += padded(size);
      if (at === this.capacity) at = 0;
    }
    return { values, count, next: at };
  }

  /** Frees the ring up to `next` (from `read`): those records are done with. */
  release(next: number): void {
    Atomics.store(this.#positions, READ, next);
  }
}

/** The write and read positions, one Int32 each, padded to 8 bytes. */
const HEADER_BYTES = 8;
const WRITE = 0;
const READ = 1;

type StringProperty = Extract<(typeof RECORD_FIELDS)[number], { kind: "string" }>["property"];
type NumberProperty = Exclude<(typeof RECORD_FIELDS)[number], { kind: "string" }>["property"];

/**
 * The string fields in the order the ring holds them, their lengths in the header and their text: the short ones first,
 * then the JSON ones with the facts, most of a record, last — the order in which concatenating and writing them was the
 * cheapest.
 */
const STRINGS: readonly StringProperty[] = Object.freeze(
  [
    ...RECORD_FIELDS.filter((field) => field.kind === "string" && !("json" in field)),
    ...RECORD_FIELDS.filter((field) => field.kind === "string" && "json" in field).reverse(),
  ].map((field) => field.property as StringProperty),
);
type NumberSlot = { property: NumberProperty; at: number; float: boolean };
/** The number fields and where each is in a record, after its size (a time takes 8 bytes, the others 4); then where the strings' lengths start. */
const { NUMBERS, LENGTHS_AT } = ((): { NUMBERS: readonly NumberSlot[]; LENGTHS_AT: number } => {
  const numbers: NumberSlot[] = [];
  let at = 4;
  for (const field of RECORD_FIELDS) {
    if (field.kind === "string") continue;
    const float = field.kind === "time";
    numbers.push({ property: field.property, at, float });
    at += float ? 8 : 4;
  }
  return { NUMBERS: Object.freeze(numbers), LENGTHS_AT: at };
})();
/** Size, the numbers, and the strings' lengths. */
const RECORD_HEADER_BYTES = LENGTHS_AT + 4 * STRINGS.length;

/**
 * The codec, compiled from RECORD_FIELDS into the straight-line code one would write by hand. It runs on every decision:
 * a loop over the fields would read each by a computed name, which the engine cannot specialise.
 */
const field = (property: string) => {
  if (!/^[A-Za-z]\w*$/.test(property))
    throw new Error(`a decision log field must be named like an identifier: ${property}`);
  return `record.${property}`;
};
/** A record's strings concatenated, in RECORD_FIELDS' order. */
const textOf = new Function("record", `return ${STRINGS.map(field).join(" + ")};`) as (
  record: DecisionRecord,
) => string;
/** Writes a record's numbers and its strings' lengths into its header at `start` (its size is written apart). */
const writeHeader = new Function(
  "view",
  "start",
  "record",
  [
    ...NUMBERS.map(
      ({ property, at, float }) =>
        `view.${float ? "setFloat64" : "setUint32"}(start + ${at}, ${field(property)}, true);`,
    ),
    ...STRINGS.map((property, i) => `view.setUint32(start + ${LENGTHS_AT + 4 * i}, ${field(property)}.length, true);`),
  ].join("\n"),
) as (view: DataView, start: number, record: DecisionRecord) => void;
/** Appends to `values` the record at `at`, whose strings are `text`, in RECORD_FIELDS' order (RecordValues'). */
const readRecord = new Function(
  "view",
  "text",
  "at",
  "values",
  (() => {
    const lines = STRINGS.map(
      (_, i) => `const end${i} = ${i === 0 ? "0" : `end${i - 1}`} + view.getUint32(at + ${LENGTHS_AT + 4 * i}, true);`,
    );
    const pushed = RECORD_FIELDS.map(({ property, kind }) => {
      if (kind === "string") {
        const i = STRINGS.indexOf(property);
        return `text.slice(${i === 0 ? "0" : `end${i - 1}`}, end${i})`;
      }
      const { at, float } = NUMBERS.find((number) => number.property === property)!;
      return `view.${float ? "getFloat64" : "getUint32"}(at + ${at}, true)`;
    });
    return [...lines, `values.push(${pushed.join(", ")});`].join("\n");
  })(),
) as (view: DataView, text: string, at: number, values: RecordValues) => void;

/** The characters of a record's strings: twice that many bytes in the ring, after its header. */
export function recordChars(record: DecisionRecord): number {
  let chars = 0;
  for (let i = 0; i < STRINGS.length; i++) chars += record[STRINGS[i]!].length;
  return chars;
}

/** In a record's size field: the rest of the ring is empty, the next record is at its beginning. */
const WRAP = 0xffffffff;

const padded = (size: number) => (size + 3) & ~3;
