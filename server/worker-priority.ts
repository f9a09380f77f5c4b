import { readlinkSync } from "node:fs";
import { setPriority } from "node:os";

/**
 * Lowers the calling thread's scheduling priority to the lowest (nice 19) where the OS allows a thread its own (Linux):
 * when the cores are busy, answering decisions goes first and a worker thread's work (writing the log, a replay) waits.
 * Elsewhere, or without the rights, the thread keeps the default.
 */
export function yieldToRequests(): void {
  try {
    // "/proc/thread-self" names this thread: <pid>/task/<tid>; setpriority on a tid sets that thread's nice value
    const tid = Number(readlinkSync("/proc/thread-self").split("/").at(-1));
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 19);
  } catch {
    // not Linux, or not allowed: the default priority is correct, only less polite
  }
}
