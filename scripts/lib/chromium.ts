// Debian's Chromium for the dashboard's end-to-end test and README screenshots. Playwright's
// own browser download cannot work here (no internet beyond package registries).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.IRONTHRONE_CHROMIUM ?? '/usr/bin/chromium';

/** Install Debian's chromium package when missing (root on these machines; apt is reachable). */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  return CHROMIUM;
}

/** Flags that keep a headless Chromium off the (closed) network and quiet as root. */
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
