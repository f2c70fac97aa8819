// Scalars whose text the apiserver's decoder parses, with its own error texts:
// resource.Quantity (k8s.io/apimachinery/pkg/api/resource/quantity.go ParseQuantity) and
// []byte fields, which encoding/json reads as standard base64 (Secret data).
import { parseQuantityResult } from '../../base/quantity';

/** The decoder's error for a quantity (ParseQuantity's words), or undefined when it parses. */
export function quantityError(value: unknown): string | undefined {
  const parsed = parseQuantityResult(value);
  return parsed.ok ? undefined : parsed.error;
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
