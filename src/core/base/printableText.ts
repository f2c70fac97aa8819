// Text from manifests shown on a terminal or in an editor's output, one finding or event a
// line. A name, image or message can hold any character a YAML double-quoted string can
// spell ("\e[2J", "\x07", "\u202e"): printed raw, it would clear the screen, ring the bell,
// forge a line of its own or reorder what follows. Such characters are shown as escapes,
// as the apiserver's messages show them (Go's %q: \n, \x1b, \u202e); everything else,
// backslashes included, is shown as it is.

const named: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\v': '\\v',
  '\f': '\\f',
  '\r': '\\r',
};

/**
 * C0 and C1 controls and DEL (terminal escape sequences start with ESC or, in C1, CSI), line
 * and paragraph separators, and the invisible format characters that reorder text
 * (bidirectional marks, embeddings, overrides and isolates).
 */
// eslint-disable-next-line no-control-regex -- control characters are what this pattern finds.
const unprintable = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

function escape(ch: string): string {
  const code = ch.charCodeAt(0);
  return (
    named[ch] ?? (code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`)
  );
}

/** `text` with every control and reordering character escaped; the same string when it has none. */
export function printableText(text: string): string {
  unprintable.lastIndex = 0;
  return unprintable.test(text) ? text.replace(unprintable, escape) : text;
}
