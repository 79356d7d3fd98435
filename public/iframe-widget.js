// Dashboards' iframe widgets (Port's `iframe-widget`).
//
// The server renders each widget as
//   <div class="iframe-widget" data-widget data-url-type data-src data-origin
//        [data-authorization-url data-token-url data-client-id data-scopes]>
//     <iframe …></iframe><div class="iframe-widget-status" role="status" hidden></div>
//   </div>
// and this script brings them to life: a protected widget signs the viewer in
// to the framed application (OAuth 2.0 authorization code with PKCE, in the
// browser, in a pop-up) and hands the framed page the access token; every
// widget explains a page that refuses to be framed instead of leaving a blank
// box. Like local-time.js it watches the DOM, so widgets that client-side
// navigation or hydration add later are set up too, and it never replaces the
// server's nodes (hydration must find them): it only sets attributes, toggles
// `hidden` and fills the status element.
//
// The same file runs on /widget-oauth-callback.html, the redirect URI, which
// may not have inline scripts (CSP): there it hands the authorization
// response back to the dashboard (pop-up) or finishes the sign-in itself
// (full-page redirect, when the pop-up was blocked).
(() => {
  const CALLBACK_PATH = '/widget-oauth-callback.html';
  const MESSAGE_TYPE = 'portolan-widget-oauth';
  // sessionStorage only: a token for the framed application must not outlive
  // the browser session nor go to any server in a cookie.
  const TOKEN_KEY = 'portolan.iframe-token.';
  const PENDING_KEY = 'portolan.iframe-oauth.'; // + state: a sign-in under way
  const FAILED_KEY = 'portolan.iframe-oauth-failed.'; // + widget: a redirect-mode failure to show
  const EXPIRY_MARGIN_MS = 30_000; // a token about to expire is as good as gone
  const READY = 'iframeWidgetReady'; // data-iframe-widget-ready on set-up containers

  const redirectUri = () => location.origin + CALLBACK_PATH;
  const hostOf = (url) => {
    try { return new URL(url).host; } catch { return url; }
  };

  // ------------------------------------------------------------ storage
  const store = {
    get(key) {
      try { return JSON.parse(sessionStorage.getItem(key)); } catch { return null; }
    },
    set(key, value) {
      try { sessionStorage.setItem(key, JSON.stringify(value)); } catch { /* storage full or off: the flow still works in memory */ }
    },
    remove(key) {
      try { sessionStorage.removeItem(key); } catch { /* nothing to do */ }
    },
  };

  // A stored token is only handed to the same application it was issued
  // for: widget ids are per dashboard, so another dashboard's widget with the
  // same id but another site must not receive it.
  const tokenFor = (cfg) => {
    const saved = store.get(TOKEN_KEY + cfg.widget);
    if (!saved || typeof saved.token !== 'string' || !(saved.expires > Date.now() + EXPIRY_MARGIN_MS)) return null;
    if (saved.origin !== cfg.origin || saved.clientId !== cfg.clientId || saved.tokenUrl !== cfg.tokenUrl) return null;
    return saved.token;
  };

  // ------------------------------------------------------------- crypto
  const base64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)))
    .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  const randomString = () => base64url(crypto.getRandomValues(new Uint8Array(32)));
  const challengeOf = async (verifier) => base64url(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));

  // The code for a token, at the token endpoint, from the browser: a public
  // client, so no secret, the PKCE verifier instead. The endpoint must allow
  // this origin (CORS); a form body keeps it a "simple" request (no preflight).
  // Resolves to the stored token record or throws an Error with a message
  // fit for the viewer.
  const exchange = async (flow, code) => {
    let res;
    try {
      res = await fetch(flow.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'authorization_code',
          code,
          redirect_uri: flow.redirectUri,
          client_id: flow.clientId,
          code_verifier: flow.verifier,
        }),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      // A network failure or a CORS refusal: the browser does not say which.
      throw new Error(`Could not reach ${hostOf(flow.tokenUrl)} (is this portal's origin allowed to call its token endpoint?).`);
    }
    let body = null;
    try { body = await res.json(); } catch { /* not JSON: described below */ }
    if (!res.ok || !body || typeof body.access_token !== 'string') {
      throw new Error((body && (body.error_description || body.error)) || `The token endpoint answered ${res.status}.`);
    }
    const lifetime = Number(body.expires_in) > 0 ? Number(body.expires_in) : 3600;
    const saved = {
      token: body.access_token,
      expires: Date.now() + lifetime * 1000,
      origin: flow.origin,
      clientId: flow.clientId,
      tokenUrl: flow.tokenUrl,
    };
    store.set(TOKEN_KEY + flow.widget, saved);
    return saved;
  };

  const authorizationError = (params) => (params.get('error') === 'access_denied' && !params.get('error_description')
    ? 'Sign-in was cancelled.'
    : `Sign-in failed: ${params.get('error_description') || params.get('error')}`);

  // ------------------------------------------------------ the callback page
  // Pop-up: post the response (query string) to the dashboard that opened
  // it, to this origin only, and close. The dashboard checks `state` and
  // exchanges the code. Full-page redirect: no opener; the flow was saved in
  // this tab's sessionStorage, so finish here and go back to the dashboard.
  const callback = async () => {
    const params = new URLSearchParams(location.search);
    const state = params.get('state') || '';
    const flow = store.get(PENDING_KEY + state);
    const say = (text) => {
      const p = document.getElementById('widget-oauth-status') || document.body.appendChild(document.createElement('p'));
      p.textContent = text;
    };
    if (window.opener && !(flow && flow.mode === 'redirect')) {
      try {
        window.opener.postMessage({ type: MESSAGE_TYPE, params: location.search }, location.origin);
      } catch { /* the opener went away */ }
      window.close();
      return;
    }
    if (!flow) {
      say('This sign-in has expired or was started in another tab. Go back to the dashboard and try again.');
      return;
    }
    store.remove(PENDING_KEY + state);
    if (params.has('error') || !params.get('code')) {
      store.set(FAILED_KEY + flow.widget, params.has('error') ? authorizationError(params) : 'Sign-in failed: no authorization code came back.');
    } else {
      try {
        await exchange(flow, params.get('code'));
      } catch (err) {
        store.set(FAILED_KEY + flow.widget, `Sign-in failed: ${err.message}`);
      }
    }
    // replace: the callback URL (with its code) stays out of the history.
    location.replace(flow.returnTo);
  };

  if (location.pathname === CALLBACK_PATH) {
    callback();
    return;
  }

  // --------------------------------------------------------------- widgets
  const configOf = (el) => ({
    widget: el.dataset.widget || '',
    urlType: el.dataset.urlType,
    src: el.dataset.src || '',
    origin: el.dataset.origin || '',
    authorizationUrl: el.dataset.authorizationUrl || '',
    tokenUrl: el.dataset.tokenUrl || '',
    clientId: el.dataset.clientId || '',
    scopes: el.dataset.scopes || '',
  });
  const widgetsWithId = (id) => document.querySelectorAll(`.iframe-widget[data-widget="${CSS.escape(id)}"]`);

  // The status element's content, from text and elements made here (never
  // markup: URLs and error texts come from elsewhere).
  const status = (el, ...parts) => {
    const box = el.querySelector('.iframe-widget-status');
    if (!box) return;
    box.replaceChildren(...parts);
    box.hidden = parts.length === 0;
  };
  const text = (tag, content) => {
    const node = document.createElement(tag);
    node.textContent = content;
    return node;
  };
  const button = (label, onClick) => {
    const b = text('button', label);
    b.type = 'button';
    b.addEventListener('click', onClick);
    return b;
  };

  // Frames the page with the token. The contract with the framed page: the
  // token travels in the URL fragment, `#access_token=<url-encoded token>`
  // (as in OAuth's implicit flow); a fragment is never sent to a server nor
  // in a Referer header, so only the framed page's script sees it. data-src
  // carries no fragment; should one be there it is replaced.
  const frameWithToken = (el, token) => {
    const cfg = configOf(el);
    const iframe = el.querySelector('iframe');
    if (!iframe) return;
    status(el);
    iframe.hidden = false;
    watchFraming(el, iframe);
    iframe.src = `${cfg.src.split('#')[0]}#access_token=${encodeURIComponent(token)}`;
  };

  const askToSignIn = (el, message) => {
    const cfg = configOf(el);
    const parts = [];
    if (message) parts.push(text('p', message), button('Retry', () => signIn(el)));
    else parts.push(text('p', `This widget needs you to sign in to ${hostOf(cfg.authorizationUrl)}.`), button('Sign in', () => signIn(el)));
    status(el, ...parts);
  };

  // Sign-ins under way in this page, by state: the pop-up answers with a
  // message, matched by its state.
  const flows = new Map();

  const signIn = async (el) => {
    const cfg = configOf(el);
    const verifier = randomString();
    const state = randomString();
    const flow = {
      verifier,
      state,
      widget: cfg.widget,
      returnTo: location.href,
      tokenUrl: cfg.tokenUrl,
      clientId: cfg.clientId,
      origin: cfg.origin,
      redirectUri: redirectUri(),
      mode: 'popup',
    };
    let url;
    try {
      url = new URL(cfg.authorizationUrl);
    } catch {
      askToSignIn(el, 'This widget\'s authorization URL is not a URL.');
      return;
    }
    // window.open must run in the click's user activation, which lasts a few
    // seconds: the digest is quick enough.
    const challenge = await challengeOf(verifier);
    for (const [k, v] of Object.entries({
      response_type: 'code',
      client_id: cfg.clientId,
      redirect_uri: flow.redirectUri,
      scope: cfg.scopes,
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })) url.searchParams.set(k, v);
    // Saved before opening: the pop-up starts with a copy of this tab's
    // sessionStorage, and a full-page redirect needs it after the return.
    store.set(PENDING_KEY + state, flow);
    const popup = window.open(url.href, 'portolan-widget-login', 'popup,width=520,height=680');
    if (!popup) {
      // Pop-ups blocked: sign in in this tab; the callback page finishes.
      store.set(PENDING_KEY + state, { ...flow, mode: 'redirect' });
      location.assign(url.href);
      return;
    }
    // One pop-up window (by name): a sign-in started elsewhere has just been
    // navigated away in it, so that widget asks again.
    for (const other of [...flows.values()]) {
      other.settle();
      widgetsWithId(other.widget).forEach((w) => askToSignIn(w));
    }
    status(el, text('p', `Signing in to ${hostOf(cfg.authorizationUrl)} in a pop-up window…`));
    let poll;
    flow.settle = () => {
      clearInterval(poll);
      flows.delete(state);
      store.remove(PENDING_KEY + state);
    };
    flows.set(state, flow);
    // Closing the pop-up is the only way to cancel that a page can see.
    // The callback closes it too, after posting its message: give that
    // message a moment to arrive before calling it a cancellation.
    poll = setInterval(() => {
      if (!popup.closed) return;
      clearInterval(poll);
      setTimeout(() => {
        if (!flows.has(state)) return;
        flow.settle();
        widgetsWithId(flow.widget).forEach((w) => askToSignIn(w, 'Sign-in was cancelled.'));
      }, 500);
    }, 500);
  };

  window.addEventListener('message', async (event) => {
    // Only our own callback page, with a state this page issued.
    if (event.origin !== location.origin) return;
    const data = event.data;
    if (!data || data.type !== MESSAGE_TYPE || typeof data.params !== 'string') return;
    const params = new URLSearchParams(data.params);
    const flow = flows.get(params.get('state') || '');
    if (!flow) return;
    flow.settle();
    const widgets = () => widgetsWithId(flow.widget);
    if (params.has('error') || !params.get('code')) {
      const message = params.has('error') ? authorizationError(params) : 'Sign-in failed: no authorization code came back.';
      widgets().forEach((w) => askToSignIn(w, message));
      return;
    }
    widgets().forEach((w) => status(w, text('p', 'Finishing sign-in…')));
    try {
      const saved = await exchange(flow, params.get('code'));
      widgets().forEach((w) => frameWithToken(w, saved.token));
    } catch (err) {
      widgets().forEach((w) => askToSignIn(w, `Sign-in failed: ${err.message}`));
    }
  });

  // ------------------------------------------------- framing refusals
  // FRAMING_DETECTION

  const setUp = (el) => {
    if (el.dataset[READY]) return;
    el.dataset[READY] = '1';
    const cfg = configOf(el);
    const iframe = el.querySelector('iframe');
    if (!iframe) return;
    if (cfg.urlType !== 'protected') {
      watchFraming(el, iframe);
      return;
    }
    const failed = store.get(FAILED_KEY + cfg.widget);
    if (failed) {
      store.remove(FAILED_KEY + cfg.widget);
      askToSignIn(el, String(failed));
      return;
    }
    const token = tokenFor(cfg);
    if (token) frameWithToken(el, token);
    else askToSignIn(el);
  };

  const sweep = (root) => {
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    if (root.matches('.iframe-widget')) setUp(root);
    root.querySelectorAll('.iframe-widget').forEach(setUp);
  };
  const start = () => {
    sweep(document.body);
    new MutationObserver((changes) => {
      for (const change of changes) change.addedNodes.forEach(sweep);
    }).observe(document.body, { childList: true, subtree: true });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
