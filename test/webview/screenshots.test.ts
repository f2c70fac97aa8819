// The web trace in VS Code's Light Modern and Dark Modern themes, with an event selected (its
// detail, the arrows to its causes and effects) and, in the light one, the legend of the pod
// phase bars, against stored screenshots. Pixels may
// differ a little between machines (text antialiasing): a screenshot matches when at most
// 0.5 % of its pixels differ from the stored one by more than 24 (of 255) in a channel.
// UPDATE_GOLDEN=1 rewrites the stored screenshots; a failing run writes what it saw beside
// the compiled test, to compare.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchChromium, openTimeline, startTimelineServer, type TimelineServer } from './harness';
import { clickEvent, clickRowTitle } from './pageReaders';
import { findEvent, hostMessages, repoRoot, webCase, type TraceCase } from './traces';

const channelThreshold = 24;
const maxDifferingFraction = 0.005;

let browser: Browser;
let server: TimelineServer;
let web: TraceCase;

before(async () => {
  [browser, server] = await Promise.all([launchChromium(), startTimelineServer()]);
  web = webCase();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

interface Difference {
  readonly differing: number;
  readonly total: number;
  readonly sizes: string;
}

/** Decodes both PNGs in the browser and counts the pixels that differ by more than the threshold. */
async function compare(actual: Buffer, expected: Buffer): Promise<Difference> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(
      async ([a, b, threshold]) => {
        const pixels = async (base64: string): Promise<ImageData> => {
          const img = new Image();
          img.src = `data:image/png;base64,${base64}`;
          await img.decode();
          const canvas = document.createElement('canvas');
          canvas.width = img.naturalWidth;
          canvas.height = img.naturalHeight;
          const ctx = canvas.getContext('2d')!;
          ctx.drawImage(img, 0, 0);
          return ctx.getImageData(0, 0, canvas.width, canvas.height);
        };
        const [x, y] = await Promise.all([pixels(a as string), pixels(b as string)]);
        const sizes = `${x.width}×${x.height} against ${y.width}×${y.height}`;
        if (x.width !== y.width || x.height !== y.height)
          return { differing: x.width * x.height, total: x.width * x.height, sizes };
        let differing = 0;
        for (let i = 0; i < x.data.length; i += 4) {
          if (
            Math.abs(x.data[i] - y.data[i]) > (threshold as number) ||
            Math.abs(x.data[i + 1] - y.data[i + 1]) > (threshold as number) ||
            Math.abs(x.data[i + 2] - y.data[i + 2]) > (threshold as number)
          )
            differing++;
        }
        return { differing, total: x.width * x.height, sizes };
      },
      [actual.toString('base64'), expected.toString('base64'), channelThreshold] as const,
    );
  } finally {
    await page.close();
  }
}

for (const theme of ['light', 'dark'] as const) {
  test(`the web trace in the ${theme} theme matches the stored screenshot`, async () => {
    const t = await openTimeline(browser, server, { theme });
    await t.feed(hostMessages(web));
    await clickRowTitle(t, /^Components/);
    // The light screenshot shows the phase bars' legend as well.
    if (theme === 'light') await t.page.locator('vscode-button', { hasText: 'Legend' }).click();
    await clickEvent(t, findEvent(web.events, 'Pulled').id);
    await t.page.mouse.move(1, 1);
    await t.settle();
    const shot = await t.page.screenshot();
    await t.close();
    const golden = path.join(repoRoot, 'test/fixtures/webview', `timeline-${theme}.png`);
    if (process.env.UPDATE_GOLDEN === '1') {
      fs.writeFileSync(golden, shot);
      return;
    }
    assert.ok(fs.existsSync(golden), `expected a stored screenshot at ${golden}; run with UPDATE_GOLDEN=1 to write it`);
    const d = await compare(shot, fs.readFileSync(golden));
    if (d.differing / d.total > maxDifferingFraction) {
      const seen = path.join(__dirname, `timeline-${theme}.actual.png`);
      fs.writeFileSync(seen, shot);
      assert.fail(
        `expected at most ${maxDifferingFraction * 100} % of the pixels to differ ` +
          `from ${golden}, ${((d.differing / d.total) * 100).toFixed(2)} % did ` +
          `(${d.differing} of ${d.total}, ${d.sizes}); what this run saw is in ${seen}`,
      );
    }
  });
}
