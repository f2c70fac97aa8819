// Reads the imports of every source file and reports the ones that cross the
// architecture's boundaries (DESIGN section 2, STYLE habit 1).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { builtinModules } from 'node:module';
import { regExpOf } from './regExpOf';

export interface Violation {
  readonly file: string;
  readonly line: number;
  readonly specifier: string;
  readonly rule: string;
}

// A static import or export (its `type` keyword and specifier), or a dynamic import or require().
const importPattern = regExpOf(
  /(?:^|[\s;])(?:import|export)\s+(type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g,
  /|(?:import|require)\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
);

const nodeBuiltins = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx|mts|cts|js|mjs)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** The area of a path under src: `core/base`, `core/sim`, `protocol`, `webview`, `extension`, `cli`, … */
function areaOf(srcRoot: string, file: string): string {
  const parts = path.relative(srcRoot, file).split(path.sep);
  return parts[0] === 'core' ? `core/${parts[1] ?? ''}` : parts[0];
}

export function checkArchitecture(srcRoot: string): Violation[] {
  const violations: Violation[] = [];
  for (const file of sourceFiles(srcRoot)) {
    const text = fs.readFileSync(file, 'utf8');
    const from = areaOf(srcRoot, file);
    const rel = path.relative(path.dirname(srcRoot), file);
    for (const match of text.matchAll(importPattern)) {
      const typeOnly = Boolean(match[1]);
      const specifier = match[2] ?? match[3];
      const line = text.slice(0, match.index).split('\n').length + (text[match.index] === '\n' ? 1 : 0);
      const report = (rule: string) => violations.push({ file: rel, line, specifier, rule });
      if (specifier === 'vscode' && from !== 'extension') {
        report('only src/extension may import vscode');
        continue;
      }
      const isRelative = specifier.startsWith('.');
      const target = isRelative ? areaOf(srcRoot, path.resolve(path.dirname(file), specifier)) : undefined;
      if (
        from.startsWith('core/') &&
        target &&
        ['protocol', 'report', 'webview', 'extension', 'cli'].includes(target)
      ) {
        report(`src/core must not import src/${target}`);
      }
      if (from === 'core/base' && target && target.startsWith('core/') && target !== 'core/base') {
        report('src/core/base must not import other core layers');
      }
      if (from === 'protocol' && target && ['report', 'webview', 'extension', 'cli'].includes(target)) {
        report(`src/protocol must not import src/${target}`);
      }
      if (from === 'webview') {
        if (nodeBuiltins.has(specifier)) report('src/webview runs in a browser and must not import Node built-ins');
        else if (target && target !== 'webview' && target !== 'protocol' && !(target === 'core/trace' && typeOnly)) {
          report('src/webview may import only src/protocol and types from src/core/trace');
        }
      }
      if (from === 'report' && target && ['webview', 'extension', 'cli'].includes(target)) {
        report(`src/report must not import src/${target}`);
      }
      if (from !== 'extension' && target === 'extension') report('only the extension may import src/extension');
    }
  }
  return violations;
}
