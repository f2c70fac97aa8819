// Nothing podtrace writes to its output or shows in a message may carry a credential, even
// when an error from a client library quotes a request's headers or a kubeconfig's user
// entry. Every text from a real cluster or its client passes through here first. No 'vscode'.

/** The fields of a kubeconfig user (and of JSON bodies) that hold a secret. */
const secretFields = [
  'token',
  'id-token',
  'refresh-token',
  'access-token',
  'password',
  'client-key-data',
  'client-secret',
];

const patterns: readonly RegExp[] = [
  // An Authorization header's value, in any quoting: `Bearer abc`, `Basic abc`.
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi,
  // A kubeconfig user's or a JSON object's secret fields: `token: abc`, `"password":"abc"`.
  new RegExp(`(["']?(?:${secretFields.join('|')})["']?\\s*[:=]\\s*)["']?[^\\s"',}]+["']?`, 'gi'),
];

/** `text` with every credential it quotes replaced by `[redacted]`. */
export function redactSecrets(text: string): string {
  return patterns.reduce(
    (out, pattern) =>
      out.replace(pattern, (_match: string, lead: string) =>
        /^(bearer|basic)$/i.test(lead) ? `${lead} [redacted]` : `${lead}[redacted]`,
      ),
    text,
  );
}
