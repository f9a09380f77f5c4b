import type { DecisionRecord } from "./decision-log.ts";
import type { RecordValues } from "./log-rows.ts";

/**
 * The decision log's queue: records encoded as bytes in a ring of shared memory, written by the thread that answers
 * decisions and read by the log's writer thread (or, without one, by the same thread).
 *
 * Why not a queue of objects handed over with postMessage: a record waits up to a flush interval, long enough to
 * survive two scavenges of the young generation, so every record was copied twice, promoted and later collected by a
 * full garbage collection — with the structured clone of each batch, ~40 % of the decision thread's time in process
 * (bench). Here a record is one string write into memory the garbage collector never scans, and the writer thread
 * reads it where it is: nothing is copied between threads and nothing waits on the heap.
 *
 * One writer (`push`) and one reader (`read`, then `release` once the records are committed): positions are published
 * with Atomics, and the bytes written before a position is published are visible to a thread that loads it. Records
 * not released stay in the ring, so a reader that dies leaves them to the next one.
 *
 * A record: its size, when, the version, the length of each of its seven strings, then the strings concatenated as
 * UTF-16, padded to 4 bytes. UTF-16 rather than UTF-8: a string's size is known before it is written, and writing and
 * reading it took ~0.37 and ~0.75 µs a record against ~0.58 and ~1.1 µs (bench, a README case). A record that does not fit at the end of the ring starts again at its beginning, after a
 * wrap mark.
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
    if (this.capacity <= 0 || this.capacity % 4 !== 0) throw new Error(`a record ring needs a multiple of 4 bytes after its ${HEADER_BYTES}-byte header`);
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
    const { decisionId, ruleSet, keyName, outcome, firedRulesJson, decisionJson, factsJson } = record;
    const text = decisionId + ruleSet + keyName + outcome + firedRulesJson + decisionJson + factsJson;
    const size = RECORD_HEADER_BYTES + text.length * 2;
    const start = this.#place(size);
    if (start < 0) return false;
    this.#bytes.write(text, start + RECORD_HEADER_BYTES, "utf16le");
    const view = this.#view;
    view.setUint32(start, size, true);
    view.setFloat64(start + 4, record.at, true);
    view.setUint32(start + 12, record.version, true);
    view.setUint32(start + 16, decisionId.length, true);
    view.setUint32(start + 20, ruleSet.length, true);
    view.setUint32(start + 24, keyName.length, true);
    view.setUint32(start + 28, outcome.length, true);
    view.setUint32(start + 32, firedRulesJson.length, true);
    view.setUint32(start + 36, decisionJson.length, true);
    view.setUint32(start + 40, factsJson.length, true);
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
      const text = this.#bytes.toString("utf16le", at + RECORD_HEADER_BYTES, at + size);
      const idEnd = view.getUint32(at + 16, true);
      const ruleSetEnd = idEnd + view.getUint32(at + 20, true);
      const keyEnd = ruleSetEnd + view.getUint32(at + 24, true);
      const outcomeEnd = keyEnd + view.getUint32(at + 28, true);
      const firedEnd = outcomeEnd + view.getUint32(at + 32, true);
      const decisionEnd = firedEnd + view.getUint32(at + 36, true);
      // RecordValues' order: decisionId, at, ruleSet, version, keyName, factsJson, decisionJson, firedRulesJson, outcome
      values.push(
        text.slice(0, idEnd),
        view.getFloat64(at + 4, true),
        text.slice(idEnd, ruleSetEnd),
        view.getUint32(at + 12, true),
        text.slice(ruleSetEnd, keyEnd),
        text.slice(decisionEnd, decisionEnd + view.getUint32(at + 40, true)),
        text.slice(firedEnd, decisionEnd),
        text.slice(outcomeEnd, firedEnd),
        text.slice(keyEnd, outcomeEnd),
      );
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
/** Size, time (float64), version, and seven string lengths. */
const RECORD_HEADER_BYTES = 4 + 8 + 4 + 7 * 4;
/** In a record's size field: the rest of the ring is empty, the next record is at its beginning. */
const WRAP = 0xffffffff;

const padded = (size: number) => (size + 3) & ~3;
