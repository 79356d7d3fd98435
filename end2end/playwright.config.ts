import { defineConfig } from '@playwright/test';
import * as path from 'path';

// The suite runs against a freshly built release server on its own port and
// its own fresh SQLite database with demo data. scripts/test.sh builds it
// and sets PORTOLAN_BIN.
const port = Number(process.env.PORTOLAN_E2E_PORT ?? 3917);
const root = path.resolve(__dirname, '..');
const bin = process.env.PORTOLAN_BIN ?? path.join(root, 'target/release/portolan');
const db = path.join(__dirname, '.tmp', 'e2e.db');

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'off',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    },
  },
  webServer: {
    command: `rm -f "${db}" "${db}-wal" "${db}-shm" && mkdir -p "${path.dirname(db)}" && exec "${bin}"`,
    cwd: root,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORTOLAN_ADDR: `127.0.0.1:${port}`,
      PORTOLAN_DATABASE_URL: `sqlite://${db}`,
      PORTOLAN_DEMO_DATA: '1',
      PORTOLAN_CONFIG: '/dev/null',
      LEPTOS_SITE_ROOT: path.join(root, 'target/site'),
    },
  },
});
