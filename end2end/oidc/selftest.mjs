// Self-test of provider.mjs without a browser: starts it on a free port and
// drives the authorization code flow (PKCE, state, nonce) with plain fetch,
// acting as both the browser (cookies, redirects, forms) and the client.
// Run: cd end2end && node oidc/selftest.mjs   (exits non-zero on failure)
import { spawn } from 'node:child_process';
import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

const REDIRECT = 'http://127.0.0.1:3917/auth/oidc/callback';
const REDIRECT2 = 'http://127.0.0.1:4999/second/callback';
const CLIENT_ID = 'portolan';
const CLIENT_SECRET = 'portolan-test-secret';
const TTL = 900;
const WIDGET_ID = 'portolan-widget';
const WIDGET_REDIRECT = 'http://127.0.0.1:4917/widget-oauth-callback.html';
const WIDGET_ORIGIN = 'http://127.0.0.1:4917';

// ------------------------------------------------------- start the provider
const child = spawn(process.execPath, [join(dirname(fileURLToPath(import.meta.url)), 'provider.mjs')], {
  env: {
    ...process.env,
    OIDC_PORT: '0', // any free port; the ready line says which
    OIDC_REDIRECT_URIS: `${REDIRECT}, ${REDIRECT2}`,
    OIDC_ID_TOKEN_TTL: String(TTL),
    OIDC_WIDGET_REDIRECT_URIS: WIDGET_REDIRECT,
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let stderr = '';
child.stderr.on('data', (d) => { stderr += d; });
const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
const issuer = await new Promise((resolve, reject) => {
  let out = '';
  const timer = setTimeout(() => reject(new Error(`provider not ready after 20s\n${out}${stderr}`)), 20000);
  child.stdout.on('data', (d) => {
    out += d;
    const m = /^OIDC provider ready at (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
    if (m) { clearTimeout(timer); resolve(m[1]); }
  });
  child.on('exit', (code) => reject(new Error(`provider exited with ${code}\n${out}${stderr}`)));
});
console.log(`provider: ${issuer}`);

// ------------------------------------------------------------------ helpers
const b64url = (buf) => Buffer.from(buf).toString('base64url');
const rand = () => b64url(randomBytes(24));

class Jar { // a cookie jar that ignores paths, good enough for one host
  cookies = new Map();

  store(res) {
    for (const c of res.headers.getSetCookie()) {
      const [pair, ...attrs] = c.split(';');
      const i = pair.indexOf('=');
      const name = pair.slice(0, i).trim();
      const value = pair.slice(i + 1).trim();
      const expired = attrs.some((a) => /^\s*expires=/i.test(a) && Date.parse(a.split('=')[1]) < Date.now());
      if (!value || expired) this.cookies.delete(name); else this.cookies.set(name, value);
    }
  }

  header() { return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '); }
}

async function browse(jar, url, { method = 'GET', form } = {}) {
  const res = await fetch(url, {
    method,
    redirect: 'manual',
    headers: {
      cookie: jar.header(),
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    body: form ? new URLSearchParams(form).toString() : undefined,
  });
  jar.store(res);
  return res;
}

const hiddenInputs = (html) => Object.fromEntries(
  [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"\/>/g)].map((m) => [m[1], m[2]]),
);

// Plays the browser from the authorization request until the provider sends
// it to the redirect URI. Returns the redirect's query parameters.
async function authorize(login, { jar = new Jar(), redirectUri = REDIRECT, extra = {} } = {}) {
  const state = rand();
  const nonce = rand();
  const verifier = rand() + rand();
  const challenge = b64url(createHash('sha256').update(verifier).digest());
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    client_id: CLIENT_ID,
    response_type: 'code',
    scope: 'openid email profile groups',
    redirect_uri: redirectUri,
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    ...extra,
  }).toString().replace(/(^|&)[^=&]+=undefined(?=&|$)/g, ''); // extra: { k: undefined } leaves k out

  let next = { url: url.href };
  let sawLoginForm = false;
  let autoPosts = 0;
  for (let hop = 0; hop < 20; hop += 1) {
    if (next.url.startsWith(`${redirectUri}?`)) {
      const params = Object.fromEntries(new URL(next.url).searchParams);
      return { params, state, nonce, verifier, jar, sawLoginForm, autoPosts };
    }
    const res = await browse(jar, next.url, next);
    const where = new URL(next.url).pathname;
    if (res.status >= 300 && res.status < 400) {
      next = { url: new URL(res.headers.get('location'), next.url).href };
      continue;
    }
    const html = await res.text();
    if (res.status === 200 && /<input[^>]*name="login"/.test(html)) {
      // Our login page: one form, an input named login, a "Sign in" button.
      assert.match(html, /<button[^>]*type="submit"[^>]*>Sign in<\/button>/, 'Sign in button');
      const action = /<form method="post" action="([^"]+)"/.exec(html)[1];
      sawLoginForm = true;
      next = { url: new URL(action, next.url).href, method: 'POST', form: { login } };
      continue;
    }
    if (res.status === 200 && /document\.forms\[0\]\.submit\(\)/.test(html)) {
      // The provider's auto-submitted form (ends the previous user's session
      // when another user signs in in the same browser).
      const action = /<form method="post" action="([^"]+)"/.exec(html)[1].replaceAll('&amp;', '&');
      next = { url: new URL(action, next.url).href, method: 'POST', form: hiddenInputs(html) };
      autoPosts += 1;
      continue;
    }
    return { stopped: { status: res.status, where, html }, sawLoginForm, autoPosts };
  }
  throw new Error('too many hops');
}

async function token(code, verifier, { auth = 'basic', redirectUri = REDIRECT, secret = CLIENT_SECRET } = {}) {
  const form = { grant_type: 'authorization_code', code, redirect_uri: redirectUri };
  if (verifier) form.code_verifier = verifier;
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  if (auth === 'basic') {
    const enc = encodeURIComponent; // RFC 6749 2.3.1: form-encode, then base64
    headers.authorization = `Basic ${Buffer.from(`${enc(CLIENT_ID)}:${enc(secret)}`).toString('base64')}`;
  } else {
    Object.assign(form, { client_id: CLIENT_ID, client_secret: secret });
  }
  const res = await fetch(discovery.token_endpoint, {
    method: 'POST', headers, body: new URLSearchParams(form).toString(),
  });
  return { status: res.status, body: await res.json() };
}

// Verifies the RS256 signature against the provider's JWKS and the standard claims.
function checkIdToken(idToken, nonce) {
  const [h, p, s] = idToken.split('.');
  const header = JSON.parse(Buffer.from(h, 'base64url'));
  const claims = JSON.parse(Buffer.from(p, 'base64url'));
  assert.equal(header.alg, 'RS256');
  const jwk = jwks.keys.find((k) => k.kid === header.kid);
  assert.ok(jwk, 'kid in jwks');
  assert.ok(verify('RSA-SHA256', Buffer.from(`${h}.${p}`), createPublicKey({ key: jwk, format: 'jwk' }),
    Buffer.from(s, 'base64url')), 'signature');
  assert.equal(claims.iss, issuer);
  assert.equal(claims.aud, CLIENT_ID);
  assert.equal(claims.nonce, nonce);
  assert.equal(claims.exp - claims.iat, TTL, 'OIDC_ID_TOKEN_TTL');
  assert.ok(Math.abs(claims.iat - Date.now() / 1000) < 60, 'iat is now');
  return claims;
}

// Full flow for one account; returns the ID token claims and the tokens.
async function signIn(login, opts = {}) {
  const r = await authorize(login, opts);
  assert.ok(r.params, `redirected back (stopped at ${JSON.stringify(r.stopped)?.slice(0, 300)})`);
  assert.ok(r.sawLoginForm, 'login form shown');
  assert.equal(r.params.state, r.state);
  assert.equal(r.params.iss, issuer);
  assert.ok(r.params.code, `code in ${JSON.stringify(r.params)}`);
  const t = await token(r.params.code, r.verifier, opts);
  assert.equal(t.status, 200, JSON.stringify(t.body));
  assert.equal(t.body.token_type, 'Bearer');
  return { claims: checkIdToken(t.body.id_token, r.nonce), tokens: t.body, ...r };
}

async function adminPost(path, body) {
  const res = await fetch(`${issuer}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body,
  });
  return { status: res.status, body: await res.json() };
}

// -------------------------------------------------------------------- tests
let failures = 0;
async function test(name, fn) {
  try {
    await fn();
    console.log(`ok   - ${name}`);
  } catch (err) {
    failures += 1;
    console.log(`FAIL - ${name}\n${err.stack}`);
  }
}

const discovery = await (await fetch(`${issuer}/.well-known/openid-configuration`)).json();
const jwks = await (await fetch(discovery.jwks_uri)).json();

await test('discovery document', () => {
  assert.equal(discovery.issuer, issuer);
  assert.equal(discovery.authorization_endpoint, `${issuer}/auth`);
  assert.equal(discovery.token_endpoint, `${issuer}/token`);
  assert.equal(discovery.jwks_uri, `${issuer}/jwks`);
  assert.equal(discovery.userinfo_endpoint, `${issuer}/me`);
  assert.deepEqual(discovery.code_challenge_methods_supported, ['S256']);
  assert.deepEqual(discovery.response_types_supported, ['code']);
  for (const s of ['openid', 'email', 'profile', 'groups']) assert.ok(discovery.scopes_supported.includes(s), s);
  for (const c of ['email', 'email_verified', 'given_name', 'family_name', 'name', 'groups']) {
    assert.ok(discovery.claims_supported.includes(c), c);
  }
  assert.deepEqual(discovery.token_endpoint_auth_methods_supported, ['client_secret_basic', 'client_secret_post', 'none']);
  assert.equal(jwks.keys.length, 1);
  assert.equal(jwks.keys[0].kty, 'RSA');
  assert.equal(jwks.keys[0].d, undefined, 'no private part published');
});

let alice;
await test('alice: code flow with PKCE, client_secret_basic, claims in the ID token', async () => {
  alice = await signIn('alice');
  const c = alice.claims;
  assert.equal(c.sub, 'alice');
  assert.equal(c.email, 'alice@example.com');
  assert.equal(c.email_verified, true);
  assert.equal(c.given_name, 'Alice');
  assert.equal(c.family_name, 'Anderson');
  assert.equal(c.name, 'Alice Anderson');
  assert.deepEqual(c.groups, ['platform', 'payments']);
});

await test('userinfo returns the same claims', async () => {
  const res = await fetch(discovery.userinfo_endpoint, {
    headers: { authorization: `Bearer ${alice.tokens.access_token}` },
  });
  assert.equal(res.status, 200);
  const u = await res.json();
  assert.equal(u.sub, 'alice');
  assert.deepEqual(u.groups, ['platform', 'payments']);
});

await test('replaying the same code fails with invalid_grant', async () => {
  const t = await token(alice.params.code, alice.verifier);
  assert.equal(t.status, 400);
  assert.equal(t.body.error, 'invalid_grant');
  // ... and, as RFC 6749 4.1.2 asks, revokes what the code had issued.
  const res = await fetch(discovery.userinfo_endpoint, {
    headers: { authorization: `Bearer ${alice.tokens.access_token}` },
  });
  assert.equal(res.status, 401);
});

await test('bob: client_secret_post and the second redirect URI', async () => {
  const { claims } = await signIn('bob', { auth: 'post', redirectUri: REDIRECT2 });
  assert.equal(claims.sub, 'bob');
  assert.equal(claims.email, 'bob@example.com');
  assert.deepEqual(claims.groups, ['payments']);
});

await test('carol: email_verified false', async () => {
  const { claims } = await signIn('carol');
  assert.equal(claims.email, 'carol@example.com');
  assert.equal(claims.email_verified, false);
});

await test('dave: no groups', async () => {
  const { claims } = await signIn('dave');
  assert.equal(claims.email, 'dave@example.com');
  assert.deepEqual(claims.groups, []);
});

await test('mallory: access_denied back at the redirect URI, with state', async () => {
  const r = await authorize('mallory');
  assert.ok(r.params, JSON.stringify(r.stopped));
  assert.equal(r.params.error, 'access_denied');
  assert.equal(r.params.error_description, 'User is not assigned to the client application.');
  assert.equal(r.params.state, r.state);
  assert.equal(r.params.code, undefined);
});

await test('runtime groups: POST /__test/accounts/alice shows up in the next login', async () => {
  const set = await adminPost('/__test/accounts/alice', JSON.stringify({ groups: ['platform', 'security'] }));
  assert.equal(set.status, 200);
  assert.deepEqual(set.body.groups, ['platform', 'security']);
  const { claims } = await signIn('alice');
  assert.deepEqual(claims.groups, ['platform', 'security']);
  assert.equal(claims.email, 'alice@example.com', 'other claims kept');
  assert.equal((await adminPost('/__test/reset', '')).status, 200);
  assert.deepEqual((await signIn('alice')).claims.groups, ['platform', 'payments']);
});

await test('runtime accounts: a new account and a denied flag', async () => {
  const set = await adminPost('/__test/accounts/erin', JSON.stringify({ groups: ['ops'] }));
  assert.equal(set.status, 200);
  const { claims } = await signIn('erin');
  assert.equal(claims.email, 'erin@example.com');
  assert.deepEqual(claims.groups, ['ops']);
  await adminPost('/__test/accounts/bob', JSON.stringify({ denied: true }));
  assert.equal((await authorize('bob')).params.error, 'access_denied');
  assert.equal((await adminPost('/__test/accounts/bob', '{"groups":"x"}')).status, 400);
  assert.equal((await adminPost('/__test/accounts/bob', 'not json')).status, 400);
  await adminPost('/__test/reset', '');
  assert.equal((await signIn('bob')).claims.sub, 'bob');
});

await test('same browser: the login form comes back and another user can sign in', async () => {
  const first = await signIn('alice');
  assert.ok([...first.jar.cookies.keys()].every((k) => k.startsWith('oidctest_')), 'cookie names');
  const second = await signIn('bob', { jar: first.jar });
  assert.equal(second.claims.sub, 'bob');
  assert.equal(second.autoPosts, 1, 'alice\'s provider session ended by the auto-submitted form');
  const third = await signIn('bob', { jar: first.jar });
  assert.equal(third.claims.sub, 'bob');
  assert.equal(third.autoPosts, 0, 'same user again: form, no logout step');
});

await test('PKCE is enforced: wrong or missing code_verifier fails', async () => {
  const r = await authorize('alice');
  assert.equal((await token(r.params.code, `${r.verifier}x`)).body.error, 'invalid_grant');
  const r2 = await authorize('alice');
  assert.equal((await token(r2.params.code, undefined)).body.error, 'invalid_grant');
});

await test('wrong client secret fails with invalid_client', async () => {
  const r = await authorize('alice');
  const t = await token(r.params.code, r.verifier, { secret: 'nope' });
  assert.equal(t.status, 401);
  assert.equal(t.body.error, 'invalid_client');
});

await test('unknown account: login form again with a message', async () => {
  const r = await authorize('zed');
  assert.equal(r.stopped?.status, 401);
  assert.match(r.stopped.html, /Unknown account &#34;zed&#34;/);
  assert.match(r.stopped.html, /name="login"/);
});

await test('unregistered redirect_uri is refused at the provider', async () => {
  const r = await authorize('alice', { redirectUri: 'http://127.0.0.1:1/evil' });
  assert.equal(r.stopped?.status, 400);
  assert.match(r.stopped.html, /redirect_uri did not match/);
});

// The public client of iframe widgets: the token request comes from a
// browser page on the portal (CORS), with the PKCE verifier and no secret.
async function widgetToken(code, verifier, origin = WIDGET_ORIGIN) {
  const res = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
    body: new URLSearchParams({
      grant_type: 'authorization_code', code, redirect_uri: WIDGET_REDIRECT, client_id: WIDGET_ID, code_verifier: verifier,
    }).toString(),
  });
  return { status: res.status, cors: res.headers.get('access-control-allow-origin'), body: await res.json() };
}
const widgetAuthorize = (login, extra = {}) => authorize(login, {
  redirectUri: WIDGET_REDIRECT, extra: { client_id: WIDGET_ID, scope: 'openid email', nonce: undefined, ...extra },
});

await test('portolan-widget: public client, PKCE and no secret, CORS for the portal\'s origin', async () => {
  const r = await widgetAuthorize('alice');
  assert.ok(r.params?.code, JSON.stringify(r.params ?? r.stopped));
  assert.equal(r.params.state, r.state);
  const t = await widgetToken(r.params.code, r.verifier);
  assert.equal(t.status, 200, JSON.stringify(t.body));
  assert.equal(t.cors, WIDGET_ORIGIN);
  assert.ok(t.body.expires_in > 0);
  const res = await fetch(discovery.userinfo_endpoint, { headers: { authorization: `Bearer ${t.body.access_token}` } });
  assert.equal((await res.json()).email, 'alice@example.com');
});

await test('portolan-widget: no CORS for other origins, nor ever for the confidential client', async () => {
  const r = await widgetAuthorize('bob');
  const t = await widgetToken(r.params.code, r.verifier, 'http://evil.example');
  assert.equal(t.cors, null);
  const res = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: WIDGET_ORIGIN },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: 'x', redirect_uri: REDIRECT, client_id: CLIENT_ID }),
  });
  assert.equal(res.headers.get('access-control-allow-origin'), null);
});

await test('portolan-widget: PKCE is required, a wrong verifier fails', async () => {
  const r = await widgetAuthorize('alice', { code_challenge: undefined, code_challenge_method: undefined });
  assert.equal(r.params?.error, 'invalid_request', JSON.stringify(r.params ?? r.stopped));
  assert.match(r.params.error_description, /PKCE/);
  const r2 = await widgetAuthorize('alice');
  assert.equal((await widgetToken(r2.params.code, `${r2.verifier}x`)).body.error, 'invalid_grant');
});

await test('pages to frame: /framed may be framed, the /framed-refused ones may not', async () => {
  const framed = await fetch(`${issuer}/framed`);
  assert.equal(framed.status, 200);
  assert.equal(framed.headers.get('content-security-policy'), 'frame-ancestors *');
  assert.match(await framed.text(), /id="framed-user"/);
  assert.equal((await fetch(`${issuer}/framed-refused`)).headers.get('x-frame-options'), 'DENY');
  assert.equal((await fetch(`${issuer}/framed-refused-csp`)).headers.get('content-security-policy'),
    "frame-ancestors 'none'");
});

await test('SIGTERM stops the provider cleanly', async () => {
  child.kill('SIGTERM');
  const { code, signal } = await exited;
  assert.equal(signal, null);
  assert.equal(code, 0);
});

if (failures) {
  console.log(`\n${failures} failed; provider stderr:\n${stderr}`);
  child.kill('SIGKILL');
  process.exit(1);
}
console.log('\nall passed');
