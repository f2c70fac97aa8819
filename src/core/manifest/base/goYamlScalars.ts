import type { ScalarTag, Tags } from 'yaml';

// kubectl turns YAML into JSON with sigs.k8s.io/yaml, which decodes each document with its
// fork of go-yaml v2 into interface{} values before writing JSON. The `yaml` package's YAML
// 1.1 schema resolves a few plain scalars differently, and each difference is a wrong
// answer (a false type error, or a number where kubectl sends a string):
//
// - Timestamps (`2024-01-02`, `2024-01-02 10:00:00`): go-yaml v2 keeps the scalar's own text
//   as a string when the target is interface{} (for backward compatibility, its comment
//   says), so the JSON has `"2024-01-02"`. The `yaml` package makes a Date.
// - Base 60 numbers (`1:20`, `3000:30.5`): go-yaml v2 does not support them ("a bad idea,
//   dropped in YAML 1.2") and keeps a string; the `yaml` package makes 80 and 180030.5.
// - Go's integer prefixes: go-yaml v2 reads integers with strconv.ParseInt(s, 0, 64) after
//   removing underscores, which also takes `0o17`, `0O17`, `0X1F` and `0B101`; the `yaml`
//   package's YAML 1.1 schema leaves those strings.
//
// Everything else (null, booleans including y/n/on/off, 0644 as octal, 0x and 0b, floats,
// .inf and .nan) already resolves the same way in both.

const timestampTag = 'tag:yaml.org,2002:timestamp';
const intTag = 'tag:yaml.org,2002:int';

function isScalarTag(tag: Tags[number]): tag is ScalarTag {
  return typeof tag === 'object' && 'test' in tag;
}

function goPrefixedInt(test: RegExp, radix: number): ScalarTag {
  return {
    identify: () => false,
    default: true,
    tag: intTag,
    test,
    resolve(source: string): number {
      const negative = source.startsWith('-');
      const digits = source.replace(/^[-+]?0[a-zA-Z]/, '').replace(/_/g, '');
      const value = parseInt(digits, radix);
      return negative ? -value : value;
    },
  };
}

/** The extra integer forms strconv.ParseInt accepts with base 0 (the lower-case 0x and 0b are in YAML 1.1 already). */
const goIntForms: readonly ScalarTag[] = [
  goPrefixedInt(/^[-+]?0[oO]_*[0-7][0-7_]*$/, 8),
  goPrefixedInt(/^[-+]?0X_*[0-9a-fA-F][0-9a-fA-F_]*$/, 16),
  goPrefixedInt(/^[-+]?0B_*[01][01_]*$/, 2),
];

/**
 * The `customTags` option for parsing manifests: the YAML 1.1 tags, resolved as go-yaml v2
 * resolves them into interface{} (see above). A timestamp keeps its tag, so that an explicit
 * `!!timestamp` is no unknown tag, but resolves to its own text.
 */
export function goYamlTags(tags: Tags): Tags {
  const out: Tags = [];
  for (const tag of tags) {
    if (!isScalarTag(tag)) out.push(tag);
    else if (tag.format === 'TIME') continue;
    else if (tag.tag === timestampTag) out.push({ ...tag, identify: () => false, resolve: (source: string) => source });
    else out.push(tag);
  }
  out.push(...goIntForms);
  return out;
}
