// The apimachinery format checks every rule builds on, with their exact messages:
// k8s.io/apimachinery/pkg/util/validation/validation.go (IsDNS1123Label, IsValidPortName, …)
// and, from 1.35, pkg/api/validate/content/kube.go for label keys and values, which words
// lengths in bytes and calls a bad key "a valid label key". Every regex is compiled once.

const dns1123LabelFmt = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const dns1123SubdomainFmt = `${dns1123LabelFmt}(\\.${dns1123LabelFmt})*`;
const dns1035LabelFmt = '[a-z]([-a-z0-9]*[a-z0-9])?';
const wildcardSubdomainFmt = `\\*\\.${dns1123SubdomainFmt}`;
const qualifiedNameFmt = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const labelValueFmt = `(${qualifiedNameFmt})?`;
const configKeyFmt = '[-._a-zA-Z0-9]+';
const percentFmt = '[0-9]+%';
const httpHeaderFmt = '[-A-Za-z0-9]+';

const dns1123Label = new RegExp(`^${dns1123LabelFmt}$`);
const dns1123Subdomain = new RegExp(`^${dns1123SubdomainFmt}$`);
const dns1035Label = new RegExp(`^${dns1035LabelFmt}$`);
const wildcardSubdomain = new RegExp(`^${wildcardSubdomainFmt}$`);
const qualifiedName = new RegExp(`^${qualifiedNameFmt}$`);
const labelValue = new RegExp(`^${labelValueFmt}$`);
const configKey = new RegExp(`^${configKeyFmt}$`);
const percent = new RegExp(`^${percentFmt}$`);
const httpHeader = new RegExp(`^${httpHeaderFmt}$`);
const portNameCharset = /^[-a-z0-9]+$/;
const portNameLetter = /[a-z]/;
const printableAsciiNoEquals = /^[\x20-\x3c\x3e-\x7e]*$/;

const encoder = new TextEncoder();

/** Go's len(): length in bytes of the UTF-8 encoding. */
export function byteLength(value: string): number {
  // Pure ASCII is the common case and needs no encoding.
  for (let i = 0; i < value.length; i++) if (value.charCodeAt(i) > 0x7f) return encoder.encode(value).length;
  return value.length;
}

/** RegexError: `<msg> (e.g. 'a',  or 'b', regex used for validation is '<re>')`. */
export function regexError(message: string, regex: string, ...examples: string[]): string {
  if (examples.length === 0) return `${message} (regex used for validation is '${regex}')`;
  return `${message} (e.g. ${examples.map((e) => `'${e}', `).join(' or ')}regex used for validation is '${regex}')`;
}

export function maxLenError(length: number, unit: 'characters' | 'bytes' = 'characters'): string {
  return `must be no more than ${length} ${unit}`;
}

export function inclusiveRangeError(lo: number, hi: number): string {
  return `must be between ${lo} and ${hi}, inclusive`;
}

export const dns1123LabelMessage = regexError(
  'a lowercase RFC 1123 label must consist of lower case alphanumeric ' +
    "characters or '-', and must start and end with an alphanumeric character",
  dns1123LabelFmt,
  'my-name',
  '123-abc',
);
const dns1123SubdomainMessage = regexError(
  'a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, ' +
    "'-' or '.', and must start and end with an alphanumeric character",
  dns1123SubdomainFmt,
  'example.com',
);
const dns1035LabelMessage = regexError(
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', " +
    'start with an alphabetic character, and end with an alphanumeric character',
  dns1035LabelFmt,
  'my-name',
  'abc-123',
);
const wildcardMessage = regexError(
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, " +
    'which must consist of lower case alphanumeric characters, ' +
    "'-' or '.' and end with an alphanumeric character",
  wildcardSubdomainFmt,
  '*.example.com',
);
const qualifiedNameMessage = regexError(
  "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
  qualifiedNameFmt,
  'MyName',
  'my.name',
  '123-abc',
);
const labelValueMessage = regexError(
  'a valid label must be an empty string or consist of alphanumeric characters, ' +
    "'-', '_' or '.', and must start and end with an alphanumeric character",
  labelValueFmt,
  'MyValue',
  'my_value',
  '12345',
);

export function isDNS1123Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63));
  if (!dns1123Label.test(value))
    errs.push(dns1123Subdomain.test(value) ? 'must not contain dots' : dns1123LabelMessage);
  return errs;
}

export function isDNS1123Subdomain(value: string, unit: 'characters' | 'bytes' = 'characters'): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 253) errs.push(maxLenError(253, unit));
  if (!dns1123Subdomain.test(value)) errs.push(dns1123SubdomainMessage);
  return errs;
}

export function isDNS1035Label(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63));
  if (!dns1035Label.test(value)) errs.push(dns1035LabelMessage);
  return errs;
}

export function isWildcardDNS1123Subdomain(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 253) errs.push(maxLenError(253));
  if (!wildcardSubdomain.test(value)) errs.push(wildcardMessage);
  return errs;
}

/**
 * A qualified name, which is also a label key: `[prefix/]name`. 1.35 renamed the
 * too-many-slashes message to "a valid label key" and counts lengths in bytes.
 */
export function isQualifiedName(value: string, minor: number): string[] {
  const unit = minor >= 35 ? 'bytes' : 'characters';
  const parts = value.split('/');
  const errs: string[] = [];
  let name: string;
  if (parts.length === 1) name = parts[0];
  else if (parts.length === 2) {
    const prefix = parts[0];
    name = parts[1];
    if (prefix.length === 0) errs.push('prefix part must be non-empty');
    else for (const m of isDNS1123Subdomain(prefix, unit)) errs.push(`prefix part ${m}`);
  } else {
    const lead = minor >= 35 ? 'a valid label key' : 'a qualified name';
    return [
      `${lead} ${qualifiedNameMessage} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    ];
  }
  if (name.length === 0) errs.push('name part must be non-empty');
  else if (byteLength(name) > 63) errs.push(`name part ${maxLenError(63, unit)}`);
  if (!qualifiedName.test(name)) errs.push(`name part ${qualifiedNameMessage}`);
  return errs;
}

export function isLabelValue(value: string, minor: number): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 63) errs.push(maxLenError(63, minor >= 35 ? 'bytes' : 'characters'));
  if (!labelValue.test(value)) errs.push(labelValueMessage);
  return errs;
}

/** IANA_SVC_NAME: each failing check adds its own message. */
export function isValidPortName(port: string): string[] {
  const errs: string[] = [];
  if (byteLength(port) > 15) errs.push(maxLenError(15));
  if (!portNameCharset.test(port)) errs.push('must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)');
  if (!portNameLetter.test(port)) errs.push('must contain at least one letter (a-z)');
  if (port.includes('--')) errs.push('must not contain consecutive hyphens');
  if (port.length > 0 && (port.startsWith('-') || port.endsWith('-'))) errs.push('must not begin or end with a hyphen');
  return errs;
}

export function isValidPortNum(port: number): string[] {
  return port >= 1 && port <= 65535 ? [] : [inclusiveRangeError(1, 65535)];
}

function chDirPrefix(value: string): string[] {
  if (value === '.') return ["must not be '.'"];
  if (value === '..') return ["must not be '..'"];
  if (value.startsWith('..')) return ["must not start with '..'"];
  return [];
}

/** The relaxed rule of the RelaxedEnvironmentVariableValidation gate (on by default from 1.32). */
export function isRelaxedEnvVarName(value: string): string[] {
  const errs: string[] = [];
  if (value.length === 0) errs.push('environment variable name must be non-empty');
  if (!printableAsciiNoEquals.test(value))
    errs.push("a valid environment variable name must consist only of printable ASCII characters other than '='");
  return errs;
}

export function isConfigMapKey(value: string): string[] {
  const errs: string[] = [];
  if (byteLength(value) > 253) errs.push(maxLenError(253));
  if (!configKey.test(value))
    errs.push(
      regexError(
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
        configKeyFmt,
        'key.name',
        'KEY_NAME',
        'key-name',
      ),
    );
  return errs.concat(chDirPrefix(value));
}

export function isValidPercent(value: string): string[] {
  return percent.test(value)
    ? []
    : [
        regexError(
          "a valid percent string must be a numeric string followed by an ending '%'",
          percentFmt,
          '1%',
          '93%',
        ),
      ];
}

export function isHTTPHeaderName(value: string): string[] {
  return httpHeader.test(value)
    ? []
    : [
        regexError(
          "a valid HTTP header must consist of alphanumeric characters or '-'",
          httpHeaderFmt,
          'X-Header-Name',
        ),
      ];
}

/** A name function of apimachinery's ValidateNameFunc kind: `prefix` is true for generateName. */
export type NameRule = (name: string, prefix: boolean) => string[];

/** generateName ends in `-` by convention; the validators mask it before checking (NameIsDNSSubdomain). */
function maskPrefix(name: string, prefix: boolean): string {
  return prefix ? maskTrailingDash(name) : name;
}

export function maskTrailingDash(name: string): string {
  return name.length > 1 && name.endsWith('-') ? `${name.slice(0, -2)}a` : name;
}

export const nameIsDNSSubdomain: NameRule = (name, prefix) => isDNS1123Subdomain(maskPrefix(name, prefix));
export const nameIsDNSLabel: NameRule = (name, prefix) => isDNS1123Label(maskPrefix(name, prefix));
export const nameIsDNS1035Label: NameRule = (name, prefix) => isDNS1035Label(maskPrefix(name, prefix));
