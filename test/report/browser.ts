// Headless Debian chromium for the report's tests, driven by playwright-core: a fresh profile
// and fresh XDG folders per launch, and the flags of every browser test (test/vscode/workbench.ts).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { chromiumArgs, findOnPath } from '../vscode/workbench';

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = findOnPath('chromium');
  if (!executablePath)
    throw new Error("expected Debian's chromium on PATH, found none; run `node scripts/testTools.mjs` to install it");
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'podtrace-chromium-'));
  const dir = (name: string) => fs.mkdirSync(path.join(scratch, name), { recursive: true }) ?? path.join(scratch, name);
  const context = await chromium.launchPersistentContext(dir('profile'), {
    executablePath,
    headless: true,
    args: chromiumArgs,
    env: { ...process.env, XDG_CONFIG_HOME: dir('config'), XDG_CACHE_HOME: dir('cache') },
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}
