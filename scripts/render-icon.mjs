// Renders media/icon.svg to media/icon.png (128x128, the Marketplace icon that package.json names)
// in headless Chromium through playwright-core. Rerun after editing the SVG:
//   node scripts/render-icon.mjs [--check]
// --check exits 1 when icon.png is missing or older than icon.svg (for CI), without rendering.
// Chromium: TENDLC_CHROMIUM, else /usr/bin/chromium (Debian's; Playwright's own builds cannot be fetched here).
import { chromium } from 'playwright-core';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SIZE = 128;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const svgPath = join(root, 'media', 'icon.svg');
const pngPath = join(root, 'media', 'icon.png');

if (process.argv.includes('--check')) {
  let stale;
  try {
    stale = statSync(pngPath).mtimeMs < statSync(svgPath).mtimeMs;
  } catch {
    stale = true;
  }
  if (stale) {
    console.error('media/icon.png is missing or older than media/icon.svg: run `node scripts/render-icon.mjs`');
    process.exit(1);
  }
  process.exit(0);
}

const svg = readFileSync(svgPath, 'utf8');
const browser = await chromium.launch({
  executablePath: process.env.TENDLC_CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
  // The SVG inline, on a transparent page, scaled to the viewport whatever its own width/height say.
  await page.setContent(
    `<!doctype html><html><head><style>html,body{margin:0;padding:0;background:transparent}svg{display:block;width:${SIZE}px;height:${SIZE}px}</style></head><body>${svg}</body></html>`,
  );
  await page.evaluate(() => document.fonts.ready);
  const png = await page.locator('svg').screenshot({ omitBackground: true, type: 'png' });
  writeFileSync(pngPath, png);
  // PNG IHDR: width and height are big-endian uint32 at bytes 16 and 20.
  const w = png.readUInt32BE(16);
  const h = png.readUInt32BE(20);
  if (w !== SIZE || h !== SIZE) {
    throw new Error(`rendered ${w}x${h}, expected ${SIZE}x${SIZE}`);
  }
  console.log(`wrote ${pngPath} (${w}x${h}, ${png.length} bytes)`);
} finally {
  await browser.close();
}
