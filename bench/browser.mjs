// Pages as a browser gets them: headless chromium (Debian's, never a
// download) opens each page signed in, first with an empty cache, then
// again with what it kept, and reports bytes over the wire (compressed, as
// sent) and when the page was interactive (hydrated: the bundle loaded and
// every event handler attached; `__portolanHydratedAt` in lib.rs).
//
//   node bench/browser.mjs <base-url> <cookie name=value> <runs> <path>...
// prints one JSON object: per path, first and repeat visit.
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', 'end2end', 'package.json'));
const { chromium } = require('@playwright/test');

const [base, cookie, runsText, ...paths] = process.argv.slice(2);
const runs = Number(runsText || 10);
const [cookieName, ...rest] = cookie.split('=');
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/// One visit: bytes received (headers and bodies as sent, compressed) and
/// milliseconds from navigation to hydrated.
async function visit(page, client, url) {
  let bytes = 0;
  const finished = (e) => { bytes += e.encodedDataLength; };
  client.on('Network.loadingFinished', finished);
  await page.goto(url);
  await page.waitForFunction(() => (window).__portolanHydratedAt !== undefined, null, { timeout: 30_000 });
  const hydrated = await page.evaluate(() => (window).__portolanHydratedAt);
  // Late responses (a lazy chunk after hydration) still count.
  await page.waitForLoadState('networkidle');
  client.off('Network.loadingFinished', finished);
  return { bytes, hydrated };
}

const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
const report = {};
try {
  for (const p of paths) {
    const url = base + p;
    const first = [], repeat = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext();
      await context.addCookies([{ name: cookieName, value: rest.join('='), url: base }]);
      const page = await context.newPage();
      const client = await context.newCDPSession(page);
      await client.send('Network.enable');
      first.push(await visit(page, client, url));
      repeat.push(await visit(page, client, url));
      await context.close();
    }
    const sum = (list) => {
      const times = list.map((v) => v.hydrated).sort((a, b) => a - b);
      const bytes = list.map((v) => v.bytes).sort((a, b) => a - b);
      return {
        kb_over_wire: Math.round(percentile(bytes, 50) / 102.4) / 10,
        hydrated_p50_ms: Math.round(percentile(times, 50)),
        hydrated_p95_ms: Math.round(percentile(times, 95)),
      };
    };
    report[p] = { first_visit: sum(first), repeat_visit: sum(repeat) };
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
