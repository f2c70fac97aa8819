// Duplicate keys in a JSON body, which JSON.parse silently resolves (the last wins, as Go's
// decoder does) but the apiserver's strict decoder reports as `duplicate field "spec.replicas"`
// (kubernetes-sigs/json, kubernetes_patch.go). The text has already parsed as JSON, so this
// scanner only walks it: strings, objects and arrays, with the field path of each key.

/** The dotted paths (`[i]` for list items) of the keys that appear twice in one object, in text order. */
export function duplicateFields(text: string): string[] {
  const found: string[] = [];
  let at = 0;
  const skipSpace = () => {
    while (at < text.length && /\s/.test(text[at])) at++;
  };
  const readString = (): string => {
    const start = at;
    at++;
    while (at < text.length && text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);
  const value = (path: string, depth: number): void => {
    skipSpace();
    if (depth > 512) return;
    const c = text[at];
    if (c === '{') {
      at++;
      const seen = new Set<string>();
      for (;;) {
        skipSpace();
        if (text[at] === '}' || at >= text.length) break;
        const key = readString();
        if (seen.has(key)) found.push(join(path, key));
        seen.add(key);
        skipSpace();
        at++; // ':'
        value(join(path, key), depth + 1);
        skipSpace();
        if (text[at] === ',') at++;
      }
      at++;
    } else if (c === '[') {
      at++;
      for (let i = 0; ; i++) {
        skipSpace();
        if (text[at] === ']' || at >= text.length) break;
        value(`${path}[${i}]`, depth + 1);
        skipSpace();
        if (text[at] === ',') at++;
      }
      at++;
    } else if (c === '"') readString();
    else while (at < text.length && !/[\s,}\]]/.test(text[at])) at++;
  };
  value('', 0);
  return found;
}
