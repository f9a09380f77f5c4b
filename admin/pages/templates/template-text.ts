import { parseTemplate, type PlaceholderName } from "../../../shared/reply-templates.ts";

/** A piece of a preview: text as written, a placeholder filled with its sample, or a placeholder not in the list. */
export type PreviewPart =
  | { kind: "text"; text: string }
  | { kind: "filled"; name: PlaceholderName; text: string }
  | { kind: "unknown"; text: string };

/**
 * The preview of a template's text, read as rendering reads it (`parseTemplate`): each `{name}` filled with its sample
 * value (empty samples show the placeholder), `{{` and `}}` as one brace, an unknown one kept as written to be
 * underlined. Unpaired braces stay text: the flaws list names them.
 */
export function previewParts(text: string, samples: Partial<Record<PlaceholderName, string>>): PreviewPart[] {
  return parseTemplate(text).parts.map((part): PreviewPart => {
    if ("text" in part) return { kind: "text", text: part.text };
    if ("unknown" in part) return { kind: "unknown", text: part.unknown };
    const sample = samples[part.placeholder];
    return {
      kind: "filled",
      name: part.placeholder,
      text: sample === undefined || sample === "" ? `{${part.placeholder}}` : sample,
    };
  });
}

/** A piece of a comparison: text both sides have, or text only the old or only the new one has. */
export type DiffPart = { kind: "same" | "removed" | "added"; text: string };

/**
 * The character differences between two texts (a version and the draft), as the longest common subsequence finds them;
 * the common start and end are set aside first, so an edit in a 2 000-character text compares only what changed.
 */
export function textDiff(before: string, after: string): DiffPart[] {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let end = 0;
  while (
    end < before.length - start &&
    end < after.length - start &&
    before[before.length - 1 - end] === after[after.length - 1 - end]
  )
    end++;
  const a = [...before.slice(start, before.length - end)];
  const b = [...after.slice(start, after.length - end)];
  // lengths[i][j]: the longest common subsequence of a[i..] and b[j..]
  const width = b.length + 1;
  const lengths = new Uint16Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      lengths[i * width + j] =
        a[i] === b[j]
          ? lengths[(i + 1) * width + j + 1]! + 1
          : Math.max(lengths[(i + 1) * width + j]!, lengths[i * width + j + 1]!);
  const parts: DiffPart[] = [];
  const push = (kind: DiffPart["kind"], text: string) => {
    const last = parts.at(-1);
    if (last?.kind === kind) last.text += text;
    else parts.push({ kind, text });
  };
  if (start > 0) push("same", before.slice(0, start));
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      push("same", a[i]!);
      i++;
      j++;
    } else if (j < b.length && (i === a.length || lengths[i * width + j + 1]! >= lengths[(i + 1) * width + j]!)) {
      push("added", b[j]!);
      j++;
    } else {
      push("removed", a[i]!);
      i++;
    }
  }
  if (end > 0) push("same", before.slice(before.length - end));
  return parts;
}
