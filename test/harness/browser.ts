/**
 * Debian's Chromium driven by playwright-core (no browser download: Playwright's own builds cannot be fetched here).
 */
import { chromium, Browser, LaunchOptions } from 'playwright-core';
import { chromiumBin, requireTools } from './paths';

/**
 * Flags measured on these machines: root needs --no-sandbox; without the background-networking flags Chromium
 * keeps trying hosts that the closed network refuses.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-dev-shm-usage',
];

export interface ChromiumOptions {
  /** Default true. */
  headless?: boolean;
  extraArgs?: string[];
  /** Passed to playwright's launch (e.g. slowMo); executablePath and args are set here. */
  launchOptions?: LaunchOptions;
}

const openBrowsers = new Set<Browser>();

/** Launches headless Chromium. Close it with `browser.close()`; `closeAllBrowsers()` closes every one left. */
export async function launchChromium(opts: ChromiumOptions = {}): Promise<Browser> {
  requireTools('chromium');
  const browser = await chromium.launch({
    ...opts.launchOptions,
    executablePath: chromiumBin(),
    headless: opts.headless ?? true,
    args: [...CHROMIUM_ARGS, ...(opts.extraArgs ?? [])],
    timeout: opts.launchOptions?.timeout ?? 60_000,
  });
  openBrowsers.add(browser);
  browser.once('disconnected', () => openBrowsers.delete(browser));
  return browser;
}

export async function closeAllBrowsers(): Promise<void> {
  await Promise.all([...openBrowsers].map((b) => b.close().catch(() => undefined)));
}
