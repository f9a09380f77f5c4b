import { onCleanup } from "solid-js";

/** A screen's unsaved work: what it is, in words, whether there is any, and how to drop it. */
export type UnsavedWork = { what: () => string; dirty: () => boolean; discard: () => void };

const holders = new Set<UnsavedWork>();

/**
 * Registers a screen's unsaved work for as long as its owner lives, so that signing out asks first (the shell cannot see
 * into a rule set's working copy or a test list otherwise).
 */
export function holdUnsaved(work: UnsavedWork): void {
  holders.add(work);
  onCleanup(() => holders.delete(work));
}

/** The unsaved work of every screen that holds some. */
export function unsavedWork(): UnsavedWork[] {
  return [...holders].filter((work) => work.dirty());
}
