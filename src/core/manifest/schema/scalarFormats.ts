// Scalars whose text the apiserver's decoder parses, with its own error texts:
// resource.Quantity (k8s.io/apimachinery/pkg/api/resource/quantity.go ParseQuantity) and
// []byte fields, which encoding/json reads as standard base64 (Secret data).

export const quantityFormatMessage =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const quantitySuffixMessage = "unable to parse quantity's suffix";

const suffixChars = 'eEinumkKMGTP';
const validSuffixes = new Set(['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E']);

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/**
 * The decoder's error for a quantity, or undefined when it parses. Mirrors
 * parseQuantityString's scan (sign, digits, one '.', digits, suffix letters, an optional
 * signed exponent) and then the suffix lookup; a JSON number is parsed from its text,
 * and a boolean, object or list fails the format.
 */
export function quantityError(value: unknown): string | undefined {
  let text: string;
  if (typeof value === 'string') text = value.trim();
  else if (typeof value === 'number') text = String(value);
  else return quantityFormatMessage;
  if (text.length === 0) return quantityFormatMessage;
  let i = 0;
  if (text[i] === '+' || text[i] === '-') i++;
  while (isDigit(text[i])) i++;
  if (text[i] === '.') {
    i++;
    while (isDigit(text[i])) i++;
  }
  const suffixStart = i;
  while (i < text.length && suffixChars.includes(text[i])) i++;
  if (text[i] === '+' || text[i] === '-') i++;
  while (isDigit(text[i])) i++;
  if (i < text.length) return quantityFormatMessage;
  const suffix = text.slice(suffixStart);
  if (validSuffixes.has(suffix)) return undefined;
  // A decimal exponent: e or E followed by a signed integer.
  if ((suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?[0-9]+$/.test(suffix.slice(1))) return undefined;
  return quantitySuffixMessage;
}

const base64Alphabet = /[A-Za-z0-9+/]/;

/**
 * encoding/json's error for a []byte field that is not standard, padded base64
 * (`illegal base64 data at input byte N`), or undefined. Go's decoder skips CR and LF.
 */
export function base64Error(text: string): string | undefined {
  let count = 0;
  let padding = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\r' || c === '\n') continue;
    if (c === '=') {
      // Padding may only end the last quantum: at most two, and nothing but padding after.
      if (count % 4 < 2 || padding >= 2) return `illegal base64 data at input byte ${i}`;
      padding++;
    } else if (padding > 0 || !base64Alphabet.test(c)) {
      return `illegal base64 data at input byte ${i}`;
    }
    count++;
  }
  if (count % 4 !== 0) return `illegal base64 data at input byte ${text.length - (count % 4)}`;
  return undefined;
}
