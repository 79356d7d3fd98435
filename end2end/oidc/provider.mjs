// A real OpenID Connect provider (oidc-provider, a certified implementation)
// for Portolan's SSO tests. It listens on 127.0.0.1 only, over plain http,
// keeps everything in memory and knows a few fixed test accounts.
// See README.md next to this file for the environment variables, the
// accounts and the /__test endpoints.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import http from 'node:http';

import Provider, { interactionPolicy } from 'oidc-provider';

const env = process.env;
const port = Number(env.OIDC_PORT ?? 3918);
const clientId = env.OIDC_CLIENT_ID || 'portolan';
const clientSecret = env.OIDC_CLIENT_SECRET || 'portolan-test-secret';
const redirectUris = (env.OIDC_REDIRECT_URIS || 'http://127.0.0.1:3917/auth/oidc/callback')
  .split(',').map((s) => s.trim()).filter(Boolean);
// Where RP-initiated logout may send the browser back to: by default the
// root of every redirect URI's origin.
const postLogoutRedirectUris = (env.OIDC_POST_LOGOUT_REDIRECT_URIS
  || [...new Set(redirectUris.map((u) => `${new URL(u).origin}/`))].join(','))
  .split(',').map((s) => s.trim()).filter(Boolean);
// The second, public client: dashboards' iframe widgets sign in from the
// browser (authorization code with PKCE, no secret) and call the token
// endpoint with fetch, cross-origin, from the portal's pages.
const widgetClientId = 'portolan-widget';
const widgetRedirectUris = (env.OIDC_WIDGET_REDIRECT_URIS || 'http://127.0.0.1:3917/widget-oauth-callback.html')
  .split(',').map((s) => s.trim()).filter(Boolean);
const widgetOrigins = new Set(widgetRedirectUris.map((u) => new URL(u).origin));
const idTokenTtl = Number(env.OIDC_ID_TOKEN_TTL || 600);
const requirePkce = env.OIDC_REQUIRE_PKCE === '1';

const DENIED_DESCRIPTION = 'User is not assigned to the client application.';

// ---------------------------------------------------------------- accounts
// Account id = login name = `sub`. `denied: true` accounts are refused with
// access_denied like an IdP refuses a user not assigned to the application.
function initialAccounts() {
  const a = (id, given, family, groups, extra = {}) => ({
    email: `${id}@example.com`,
    email_verified: true,
    given_name: given,
    family_name: family,
    name: `${given} ${family}`,
    groups,
    denied: false,
    ...extra,
  });
  return new Map([
    ['alice', a('alice', 'Alice', 'Anderson', ['platform', 'payments'])],
    ['bob', a('bob', 'Bob', 'Brown', ['payments'])],
    ['carol', a('carol', 'Carol', 'Clark', ['platform'], { email_verified: false })],
    ['dave', a('dave', 'Dave', 'Davis', [])],
    ['mallory', a('mallory', 'Mallory', 'Moore', ['platform'], { denied: true })],
  ]);
}
let accounts = initialAccounts();

// Claims are read from `accounts` whenever a token is issued, so a change
// made through /__test/accounts shows up in the next login's ID token.
async function findAccount(ctx, sub) {
  if (!accounts.has(sub)) return undefined;
  return {
    accountId: sub,
    async claims() {
      const { denied, ...claims } = accounts.get(sub) ?? {};
      return { sub, ...claims, groups: [...(claims.groups ?? [])] };
    },
  };
}

// -------------------------------------------------------------------- keys
// A fresh RSA signing key on every start; clients fetch it from jwks_uri.
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = {
  ...privateKey.export({ format: 'jwk' }),
  kid: randomBytes(8).toString('hex'),
  alg: 'RS256',
  use: 'sig',
};

// ---------------------------------------------------------- configuration
// The login prompt normally only appears without a provider session. A test
// provider is easier to drive when every authorization request shows the
// login form (switching users in one browser works; the provider ends the
// previous user's session itself with an auto-submitted form).
const policy = interactionPolicy.base();
policy.get('login').checks.add(new interactionPolicy.Check(
  'always_login',
  'the test provider asks for the login name on every authorization request',
  (ctx) => (ctx.oidc.result?.login ? interactionPolicy.Check.NO_NEED_TO_PROMPT
    : interactionPolicy.Check.REQUEST_PROMPT),
));

function configuration() {
  return {
    clients: [{
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: redirectUris,
      post_logout_redirect_uris: postLogoutRedirectUris,
      // oidc-provider accepts client_secret_post as well for a client
      // registered with client_secret_basic (both are "client secret" methods).
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      id_token_signed_response_alg: 'RS256',
      // application_type defaults to 'web', which allows http redirect URIs
      // for the code flow (only the implicit flow insists on https).
    }, {
      client_id: widgetClientId,
      redirect_uris: widgetRedirectUris,
      // A public client: code in a browser cannot keep a secret, PKCE
      // stands in for it (required below).
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      id_token_signed_response_alg: 'RS256',
    }],
    clientAuthMethods: ['client_secret_basic', 'client_secret_post', 'none'],
    jwks: { keys: [signingKey] },
    responseTypes: ['code'],
    scopes: ['openid', 'email', 'profile', 'groups'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'given_name', 'family_name'],
      groups: ['groups'],
    },
    // Put the scope's claims into the ID token, not only into userinfo.
    conformIdTokenClaims: false,
    // S256 is the only method in v9. Always required for the public client.
    pkce: { required: (ctx, client) => requirePkce || client.clientId === widgetClientId },
    features: {
      devInteractions: { enabled: false }, // our own /interaction routes below
      rpInitiatedLogout: { enabled: true },
      userinfo: { enabled: true },
    },
    findAccount,
    interactions: { policy, url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    // Cookies are signed with a random key; over http oidc-provider leaves
    // out `secure` by itself (it follows ctx.secure), so no proxy settings.
    // Cookies are per host, not per port: the portal on 127.0.0.1:3917 sees
    // these too, hence names that cannot clash with the portal's.
    cookies: {
      keys: [randomBytes(32).toString('hex')],
      names: { session: 'oidctest_session', interaction: 'oidctest_interaction', resume: 'oidctest_resume' },
    },
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      IdToken: idTokenTtl,
      Interaction: 3600,
      Session: 24 * 3600,
      Grant: 24 * 3600,
    },
    // CORS on the token (and userinfo) endpoint: only the widget client, and
    // only from the origins of its redirect URIs (the portal's pages). The
    // confidential client talks to the provider server-side: never.
    clientBasedCORS: (ctx, origin, client) => client.clientId === widgetClientId && widgetOrigins.has(origin),
    renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page('Error', `<h1>Error</h1><pre>${esc(JSON.stringify(out, null, 2))}</pre>`);
    },
  };
}

// ------------------------------------------------------------ interactions
const esc = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const page = (title, body) => `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>${esc(title)}</title></head>
<body>${body}</body></html>`;

function loginPage(uid, clientName, value, error) {
  return page('Sign in - Portolan test identity provider', `
<h1>Portolan test identity provider</h1>
<p>Signing in to <b>${esc(clientName)}</b>. No password: type an account name
(alice, bob, carol, dave, mallory).</p>
${error ? `<p id="error" role="alert">${esc(error)}</p>` : ''}
<form method="post" action="/interaction/${esc(uid)}/login" autocomplete="off">
  <label for="login">Login</label>
  <input id="login" name="login" value="${esc(value ?? '')}" autofocus required>
  <button type="submit" name="submit" value="signin">Sign in</button>
</form>`);
}

// Consent is granted automatically: a grant with every scope the client asked for.
async function autoGrant(provider, details, accountId) {
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId, clientId: details.params.client_id });
  grant.addOIDCScope(String(details.params.scope ?? 'openid'));
  return grant.save();
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

function send(res, status, type, body) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

async function interaction(provider, req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  const { prompt, params } = details;

  if (req.method === 'GET' && !action) {
    if (prompt.name === 'login') {
      return send(res, 200, 'text/html; charset=utf-8',
        loginPage(uid, params.client_id, params.login_hint));
    }
    // Not expected (login always comes first and grants consent), but be
    // safe: consent for an already signed-in account is granted silently.
    const grantId = await autoGrant(provider, details, details.session.accountId);
    return provider.interactionFinished(req, res, { consent: { grantId } },
      { mergeWithLastSubmission: true });
  }

  if (req.method === 'POST' && action === 'login') {
    if (prompt.name !== 'login') return send(res, 400, 'text/plain', 'no login pending\n');
    const login = new URLSearchParams(await readBody(req)).get('login')?.trim() ?? '';
    const account = accounts.get(login);
    if (!account) {
      return send(res, 401, 'text/html; charset=utf-8',
        loginPage(uid, params.client_id, login, `Unknown account "${login}".`));
    }
    if (account.denied) {
      // Back to the client's redirect_uri with error, error_description, state.
      return provider.interactionFinished(req, res, {
        error: 'access_denied',
        error_description: DENIED_DESCRIPTION,
      }, { mergeWithLastSubmission: false });
    }
    const grantId = await autoGrant(provider, details, login);
    return provider.interactionFinished(req, res, {
      login: { accountId: login },
      consent: { grantId },
    }, { mergeWithLastSubmission: false });
  }

  return send(res, 405, 'text/plain', 'method not allowed\n');
}

// ------------------------------------------------ /__test admin endpoints
const isLoopback = (addr) => ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(addr);
const FIELDS = {
  email: 'string', given_name: 'string', family_name: 'string', name: 'string',
  email_verified: 'boolean', denied: 'boolean',
};

async function admin(req, res, path) {
  if (!isLoopback(req.socket.remoteAddress)) return send(res, 403, 'text/plain', 'loopback only\n');
  const json = (status, body) => send(res, status, 'application/json', `${JSON.stringify(body)}\n`);

  if (path === '/__test/reset' && req.method === 'POST') {
    accounts = initialAccounts();
    return json(200, Object.fromEntries(accounts));
  }
  const m = /^\/__test\/accounts\/([A-Za-z0-9._-]+)$/.exec(path);
  if (path === '/__test/accounts' && req.method === 'GET') return json(200, Object.fromEntries(accounts));
  if (!m) return json(404, { error: 'not found' });
  const id = m[1];

  if (req.method === 'GET') {
    return accounts.has(id) ? json(200, accounts.get(id)) : json(404, { error: 'unknown account' });
  }
  if (req.method !== 'POST') return json(405, { error: 'method not allowed' });

  let patch;
  try {
    patch = JSON.parse(await readBody(req));
  } catch {
    return json(400, { error: 'body must be JSON' });
  }
  if (!patch || typeof patch !== 'object' || Array.isArray(patch)) {
    return json(400, { error: 'body must be a JSON object' });
  }
  for (const [k, v] of Object.entries(patch)) {
    const ok = k === 'groups'
      ? Array.isArray(v) && v.every((g) => typeof g === 'string')
      : FIELDS[k] && typeof v === FIELDS[k]; // eslint-disable-line valid-typeof
    if (!ok) return json(400, { error: `bad field ${k}` });
  }
  // Unknown ids create a new account with defaults, then apply the patch.
  const given = id.charAt(0).toUpperCase() + id.slice(1);
  const current = accounts.get(id) ?? {
    email: `${id}@example.com`, email_verified: true, given_name: given,
    family_name: 'Tester', name: `${given} Tester`, groups: [], denied: false,
  };
  const updated = { ...current, ...patch };
  accounts.set(id, updated);
  return json(200, updated);
}

// ------------------------------------------------------ pages to frame
// Targets for the portal's iframe widgets. /framed may be framed by anyone;
// it takes an access token from its URL fragment (`#access_token=…`, how a
// protected iframe widget hands it over: a fragment never reaches a server
// or a Referer header), asks userinfo who it belongs to and shows the email.
// /framed-refused and /framed-refused-csp refuse to be framed, one with
// X-Frame-Options, one with CSP frame-ancestors.
const FRAMED = page('Framed - Portolan test identity provider', `
<h1>Framed page</h1>
<p id="framed-user" hidden></p>
<p id="framed-error" role="alert" hidden></p>
<script>
(async () => {
  const show = (id, text) => {
    const el = document.getElementById(id);
    el.textContent = text;
    el.hidden = false;
  };
  const token = new URLSearchParams(location.hash.slice(1)).get('access_token');
  if (!token) return show('framed-error', 'No access_token in the URL fragment.');
  // The token is not needed in the address any more.
  history.replaceState(null, '', location.pathname + location.search);
  try {
    const res = await fetch('/me', { headers: { authorization: 'Bearer ' + token } });
    if (!res.ok) return show('framed-error', 'userinfo answered ' + res.status + ': ' + await res.text());
    const user = await res.json();
    show('framed-user', user.email ?? user.sub);
  } catch (err) {
    show('framed-error', 'userinfo failed: ' + err);
  }
})();
</script>`);
const REFUSED = (how) => page('Refused - Portolan test identity provider',
  `<h1>Not to be framed</h1><p>This page sends ${esc(how)}.</p>`);

function framed(res, path) {
  const html = 'text/html; charset=utf-8';
  if (path === '/framed') {
    res.setHeader('content-security-policy', 'frame-ancestors *');
    return send(res, 200, html, FRAMED);
  }
  if (path === '/framed-refused') {
    res.setHeader('x-frame-options', 'DENY');
    return send(res, 200, html, REFUSED('X-Frame-Options: DENY'));
  }
  res.setHeader('content-security-policy', "frame-ancestors 'none'");
  return send(res, 200, html, REFUSED("Content-Security-Policy: frame-ancestors 'none'"));
}

// ------------------------------------------------------------------ server
let provider;
let callback;
const server = http.createServer(async (req, res) => {
  const path = new URL(req.url, 'http://x').pathname;
  try {
    if (!provider) return send(res, 503, 'text/plain', 'starting\n');
    if (path.startsWith('/__test/')) return await admin(req, res, path);
    if (['/framed', '/framed-refused', '/framed-refused-csp'].includes(path) && ['GET', 'HEAD'].includes(req.method)) {
      return framed(res, path);
    }
    const m = /^\/interaction\/([^/]+)(?:\/(login))?$/.exec(path);
    if (m) return await interaction(provider, req, res, m[1], m[2]);
    return callback(req, res);
  } catch (err) {
    // e.g. SessionNotFound when the interaction cookie is missing or expired
    console.error(err);
    if (!res.headersSent) {
      send(res, err.statusCode ?? 500, 'text/plain', `${err.name}: ${err.error_description ?? err.message}\n`);
    } else {
      res.end();
    }
  }
});

// Listen first so that OIDC_PORT=0 (any free port) works: the issuer needs the real port.
server.listen(port, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  provider = new Provider(issuer, configuration());
  provider.on('server_error', (ctx, err) => console.error('server_error', err));
  callback = provider.callback();
  console.log(`OIDC provider ready at ${issuer}`);
});

function shutdown() {
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
