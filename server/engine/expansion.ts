import type { Condition, RuleSetDefinition } from "../../shared/rules.ts";

/** Nodes a rule's or a shared condition's condition may have once its references are expanded. */
export const MAX_EXPANDED_NODES = 100_000;
/** Nodes a rule set's rules may have together once their references are expanded. */
export const MAX_EXPANDED_TOTAL = 2_000_000;
/** Levels a condition may nest once its references are expanded (each reference is a level). */
export const MAX_EXPANDED_DEPTH = 128;
/**
 * Levels the compiler accepts, references expanded: what its recursion (and the evaluation's)
 * bears with room to spare. Above validation's bound, so that a version published before that
 * bound existed still compiles when it is shallower than this.
 */
export const MAX_COMPILE_DEPTH = 512;

/**
 * A condition's size with every reference replaced by what it refers to: its nodes and levels.
 * Both are Infinity on a circle of references; the node count stops growing at 2⁵³.
 */
export type Expansion = { nodes: number; depth: number };

const circular: Expansion = { nodes: Infinity, depth: Infinity };
const unknown: Expansion = { nodes: 1, depth: 1 };
const CAP = Number.MAX_SAFE_INTEGER;

/**
 * The expansion of each shared condition and of each of `roots`, found without recursion in time
 * linear in the conditions as written: each shared condition is measured once, after those it
 * refers to, and references then cost a look-up. A reference to an unknown name counts as a leaf.
 */
export function measureExpansion(
  conditions: RuleSetDefinition["conditions"],
  roots: readonly Condition[],
): { shared: Map<string, Expansion>; roots: Expansion[]; refersTo: Map<string, string[]> } {
  const shared = new Map<string, Expansion>();
  const refersTo = new Map<string, string[]>();
  const open = new Set<string>();
  const lookUp = (name: string): Expansion => {
    if (!Object.hasOwn(conditions, name)) return unknown;
    return shared.get(name) ?? (open.has(name) ? circular : unknown);
  };

  const references = (name: string): string[] => {
    const known = refersTo.get(name);
    if (known) return known;
    const found = [...new Set(referencesIn(conditions[name]!))].filter((ref) => Object.hasOwn(conditions, ref));
    refersTo.set(name, found);
    return found;
  };

  for (const start of Object.keys(conditions)) {
    if (shared.has(start)) continue;
    const stack: { name: string; next: number }[] = [{ name: start, next: 0 }];
    open.add(start);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const refs = references(frame.name);
      if (frame.next < refs.length) {
        const ref = refs[frame.next++]!;
        if (!shared.has(ref) && !open.has(ref)) {
          open.add(ref);
          stack.push({ name: ref, next: 0 });
        }
        continue;
      }
      shared.set(frame.name, measure(conditions[frame.name]!, lookUp));
      open.delete(frame.name);
      stack.pop();
    }
  }
  return { shared, roots: roots.map((root) => measure(root, lookUp)), refersTo };
}

/** One condition's expansion, its references' taken from `lookUp`; an explicit stack, children before parents. */
function measure(root: Condition, lookUp: (name: string) => Expansion): Expansion {
  const order: Condition[] = [];
  const pending: Condition[] = [root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    order.push(node);
    for (const child of childrenOf(node)) pending.push(child);
  }
  const measured = new Map<Condition, Expansion>();
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i]!;
    if ("condition" in node) {
      const target = lookUp(node.condition);
      measured.set(node, { nodes: Math.min(CAP, 1 + target.nodes), depth: 1 + target.depth });
      continue;
    }
    let nodes = 1;
    let depth = 0;
    for (const child of childrenOf(node)) {
      const inner = measured.get(child)!;
      nodes = Math.min(CAP, nodes + inner.nodes);
      depth = Math.max(depth, inner.depth);
    }
    measured.set(node, { nodes, depth: depth + 1 });
  }
  return measured.get(root)!;
}

function childrenOf(node: Condition): readonly Condition[] {
  if ("all" in node) return node.all;
  if ("any" in node) return node.any;
  if ("not" in node) return [node.not];
  return [];
}

/** The names a condition refers to, in the order written (repeats included); an explicit stack. */
export function referencesIn(root: Condition): string[] {
  const found: string[] = [];
  const pending: Condition[] = [root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if ("condition" in node) found.push(node.condition);
    const children = childrenOf(node);
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]!);
  }
  return found;
}
