import { defineConfig } from '@playwright/test';
import * as path from 'path';

// The suite runs against freshly built release servers on their own ports,
// each with its own fresh SQLite database with demo data, and a real
// OpenID Connect provider (oidc/provider.mjs). scripts/test.sh builds the
// server and sets PORTOLAN_BIN.
const port = Number(process.env.PORTOLAN_E2E_PORT ?? 3917);
export const OIDC_PORT = port + 1;
export const SSO_PORT = port + 2;
export const IDLE_PORT = port + 3;
export const ADMIN_EMAIL = 'admin@portolan.test';
export const ADMIN_PASSWORD = 'e2e-admin-password';
const root = path.resolve(__dirname, '..');
const bin = process.env.PORTOLAN_BIN ?? path.join(root, 'target/release/portolan');
const tmp = path.join(__dirname, '.tmp');

/// One Portolan instance on `p` with its own database and extra settings.
function portolan(p: number, name: string, env: Record<string, string> = {}) {
  const db = path.join(tmp, `${name}.db`);
  return {
    command: `rm -f "${db}" "${db}-wal" "${db}-shm" && mkdir -p "${tmp}" && exec "${bin}"`,
    cwd: root,
    url: `http://127.0.0.1:${p}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: (process.env.E2E_STDOUT ? 'pipe' : 'ignore') as 'pipe' | 'ignore',
    stderr: 'pipe' as const,
    env: {
      PORTOLAN_ADDR: `127.0.0.1:${p}`,
      PORTOLAN_DATABASE_URL: `sqlite://${db}`,
      PORTOLAN_DEMO_DATA: '1',
      PORTOLAN_CONFIG: '/dev/null',
      PORTOLAN_ADMIN_EMAIL: ADMIN_EMAIL,
      PORTOLAN_ADMIN_PASSWORD: ADMIN_PASSWORD,
      LEPTOS_SITE_ROOT: path.join(root, 'target/site'),
      ...env,
    },
  };
}

const browser = {
  trace: 'off' as const,
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
};

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: [['list']],
  use: { baseURL: `http://127.0.0.1:${port}`, ...browser },
  projects: [
    // Signs the admin in once; the portal's page tests reuse the session.
    { name: 'setup', testMatch: /admin\.setup\.ts/ },
    {
      name: 'portal',
      testMatch: /(shell|users|permissions|export|create|nojs|views|ownership|iframe-widget|dashboards|audit|people)\.spec\.ts/,
      dependencies: ['setup'],
      use: { storageState: path.join(tmp, 'admin.json') },
    },
    { name: 'sign-in', testMatch: /sign-in\.spec\.ts/ },
  ],
  webServer: [
    portolan(port, 'e2e'),
    {
      command: `exec node oidc/provider.mjs`,
      cwd: __dirname,
      url: `http://127.0.0.1:${OIDC_PORT}/.well-known/openid-configuration`,
      reuseExistingServer: false,
      timeout: 30_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: {
        OIDC_PORT: String(OIDC_PORT),
        OIDC_REDIRECT_URIS: `http://127.0.0.1:${SSO_PORT}/auth/oidc/callback`,
        // Dashboards' iframe widgets sign in from the main portal's pages.
        OIDC_WIDGET_REDIRECT_URIS: `http://127.0.0.1:${port}/widget-oauth-callback.html`,
      },
    },
    portolan(SSO_PORT, 'sso', {
      PORTOLAN_OIDC_ISSUER: `http://127.0.0.1:${OIDC_PORT}`,
      PORTOLAN_OIDC_CLIENT_ID: 'portolan',
      PORTOLAN_OIDC_CLIENT_SECRET: 'portolan-test-secret',
      PORTOLAN_OIDC_SCOPES: 'openid email profile groups',
      PORTOLAN_OIDC_AUTO_PROVISION: '1',
      PORTOLAN_OIDC_NAME: 'Test IdP',
    }),
    portolan(IDLE_PORT, 'idle', { PORTOLAN_SESSION_IDLE: '4s' }),
  ],
});
