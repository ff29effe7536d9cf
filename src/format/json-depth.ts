/**
 * A vault is five levels deep (file, environments, environment, slots, slot). A hostile
 * file of 100,000 `[` must get a bad_vault error, not a stack overflow: the scanner in
 * ./json-error.ts recurses once per level. This pass runs before that scanner (only
 * when JSON.parse has failed), in one loop with no recursion.
 */
export const MAX_JSON_DEPTH = 64;

/** The offset of the first `[` or `{` nested deeper than `max`, or undefined if none is. */
export function tooDeepAt(text: string, max = MAX_JSON_DEPTH): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character, `\"` included
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return undefined;
}
