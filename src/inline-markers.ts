/**
 * Emphasis markers and brackets of Markdown left open inside one another, counted in one pass
 * without parsing (the Markdown parser's time grows with the square of that count). Used by the
 * template checks and by scan, before either parses.
 */

const WHITESPACE = /\s/;

/**
 * At least as deep as a Markdown text's inline nesting can be: each run of `*`, `_` or `~` that
 * may open and each `[` opens a level, a run that may close closes as many open levels of its
 * character as it is long, `]` closes a `[`, and a level is counted as deep as the levels open
 * when it closes (one never closed nests nothing); a blank line ends them all. Gives the deepest
 * level, and the offset of the marker that opens level `over + 1` where that level is first
 * found.
 */
export function inlineMarkers(text: string, over = Infinity): { deepest: number; at?: number } {
  let deepest = 0;
  let at: number | undefined;
  const open: string[] = [];
  const opened: number[] = []; // the offset of each open marker
  // the innermost open level closes: it is as deep as the levels open then
  const close = () => {
    if (open.length > deepest) deepest = open.length;
    // the marker that opened the first level past `over`
    if (at === undefined && open.length > over) at = opened[over];
    open.pop();
    opened.pop();
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '\n') {
      let j = i + 1;
      while (text[j] === ' ' || text[j] === '\t' || text[j] === '\r') j++;
      if (text[j] === '\n' || j >= text.length) {
        open.length = 0;
        opened.length = 0;
      }
      continue;
    }
    if (c === '[') {
      open.push(c);
      opened.push(i);
    } else if (c === ']') {
      if (open[open.length - 1] === '[') close();
    } else if (c === '*' || c === '_' || c === '~') {
      let end = i;
      while (text[end + 1] === c) end++;
      const length = end - i + 1;
      const before = text[i - 1];
      const after = text[end + 1];
      let closed = 0;
      if (before !== undefined && !WHITESPACE.test(before))
        while (closed < length && open[open.length - 1] === c) {
          close();
          closed++;
        }
      if (closed === 0 && after !== undefined && !WHITESPACE.test(after))
        for (let k = 0; k < length; k++) {
          open.push(c);
          opened.push(i + k);
        }
      i = end;
    }
  }
  return at === undefined ? { deepest } : { deepest, at };
}
