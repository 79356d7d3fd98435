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
  // The server's "needs JavaScript" notes hide once this runs (main.css).
  document.documentElement.classList.add('iframe-widgets-run');
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
  // exchanges the code. A BroadcastChannel (same origin only, by
  // construction) carries the same message, for when the pop-up has lost its
  // opener (a Cross-Origin-Opener-Policy on the way severs it).
  // Full-page redirect (the flow in this tab's sessionStorage says so):
  // finish here and go back to the dashboard.
  const callback = async () => {
    const params = new URLSearchParams(location.search);
    const state = params.get('state') || '';
    const flow = store.get(PENDING_KEY + state);
    const say = (text) => {
      const p = document.getElementById('widget-oauth-status') || document.body.appendChild(document.createElement('p'));
      p.textContent = text;
    };
    if (!(flow && flow.mode === 'redirect')) {
      const message = { type: MESSAGE_TYPE, params: location.search };
      try {
        if (window.opener) window.opener.postMessage(message, location.origin);
      } catch { /* the opener went away */ }
      try {
        const channel = new BroadcastChannel(MESSAGE_TYPE);
        channel.postMessage(message);
        channel.close();
      } catch { /* no BroadcastChannel: the opener was the way */ }
      window.close();
      // Still here: not a window a script opened (a bookmarked or reloaded
      // callback URL), so nobody was waiting for it.
      setTimeout(() => say('This sign-in has expired or was started in another window. Go back to the dashboard and try again.'), 500);
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
  // markup: URLs and error texts come from elsewhere). A <noscript> the
  // server put there stays where it is: hydration expects to find it.
  const status = (el, ...parts) => {
    const box = el.querySelector('.iframe-widget-status');
    if (!box) return;
    for (const node of [...box.childNodes]) {
      if (node.nodeName !== 'NOSCRIPT') node.remove();
    }
    box.append(...parts);
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
    if (!iframe || refused.has(el)) return;
    status(el);
    iframe.src = `${cfg.src.split('#')[0]}#access_token=${encodeURIComponent(token)}`;
  };

  const askToSignIn = (el, message) => {
    if (refused.has(el)) return; // signing in would not help
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
    if (!crypto.subtle) {
      // Web Crypto exists in secure contexts only (https, or localhost).
      askToSignIn(el, 'Signing in needs this portal to be served over https.');
      return;
    }
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
    if (!refused.has(el)) status(el, text('p', `Signing in to ${hostOf(cfg.authorizationUrl)} in a pop-up window…`));
    let poll;
    flow.settle = () => {
      clearInterval(poll);
      flows.delete(state);
      store.remove(PENDING_KEY + state);
    };
    flow.popup = popup;
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

  // The callback page's answer: only from our own origin, with a state this
  // page issued (and, through the opener, from the pop-up it opened).
  const onAnswer = async (data, source) => {
    if (!data || data.type !== MESSAGE_TYPE || typeof data.params !== 'string') return;
    const params = new URLSearchParams(data.params);
    const flow = flows.get(params.get('state') || '');
    if (!flow || (source && source !== flow.popup)) return;
    flow.settle();
    const widgets = () => widgetsWithId(flow.widget);
    if (params.has('error') || !params.get('code')) {
      const message = params.has('error') ? authorizationError(params) : 'Sign-in failed: no authorization code came back.';
      widgets().forEach((w) => askToSignIn(w, message));
      return;
    }
    widgets().forEach((w) => { if (!refused.has(w)) status(w, text('p', 'Finishing sign-in…')); });
    try {
      const saved = await exchange(flow, params.get('code'));
      widgets().forEach((w) => frameWithToken(w, saved.token));
    } catch (err) {
      widgets().forEach((w) => askToSignIn(w, `Sign-in failed: ${err.message}`));
    }
  };
  window.addEventListener('message', (event) => {
    if (event.origin === location.origin) onAnswer(event.data, event.source);
  });
  try {
    new BroadcastChannel(MESSAGE_TYPE).addEventListener('message', (event) => onAnswer(event.data, null));
  } catch { /* no BroadcastChannel: window messages only */ }

  // ------------------------------------------------- framing refusals
  // A page that sends `X-Frame-Options: DENY|SAMEORIGIN` or a CSP
  // `frame-ancestors` that leaves this portal out is replaced, inside the
  // iframe, by the browser's error page, and nothing on the iframe tells:
  // Chromium fires `load` as for any page, and everything a parent can read
  // of a cross-origin frame (its length, the SecurityError on access, the
  // resource timing entry, load timing, history.length, a fragment
  // navigation) was measured to be the same for a refused page and a shown
  // one. An <object> loading the same URL does differ: it fires `error`
  // instead of `load` when the browser refuses to display the page (checked
  // in Chromium 156: DENY, SAMEORIGIN, frame-ancestors 'none' and 'self',
  // also behind a redirect; frame-ancestors * or naming the portal load).
  //
  // So each widget gets one probe: an off-screen iframe, same-origin with
  // the portal (so frame-ancestors and SAMEORIGIN see the same ancestors as
  // the widget's iframe) but sandboxed without scripts, which the sandbox
  // passes on to the probed page: its scripts do not run, it cannot navigate
  // or open anything. This script puts an <object> for the widget's URL into
  // it and listens. The cost is a second GET of the URL (the HTML and what
  // it loads without script).
  //
  // Not fully reliable, hence a heuristic:
  // - an <object> also fires `error` for an answer with an error status
  //   (404, 500…) or one refused to `Sec-Fetch-Dest: object` requests: such
  //   a widget is reported as refusing to be framed too;
  // - it needs the portal's CSP to allow the widget's origin in
  //   `object-src` (with frame-src): where it does not, the probe's load is
  //   blocked by the portal itself, which shows as a
  //   securitypolicyviolation in the probe, and nothing is reported.
  const refused = new WeakSet();
  const probed = new WeakSet();
  const PROBE_TIMEOUT_MS = 30_000;

  // Resolves to 'shown', 'refused' or 'unknown'.
  const probeFraming = (url) => new Promise((resolve) => {
    const probe = document.createElement('iframe');
    probe.setAttribute('sandbox', 'allow-same-origin');
    probe.setAttribute('aria-hidden', 'true');
    probe.tabIndex = -1;
    probe.srcdoc = '<!DOCTYPE html><title>framing probe</title><body></body>';
    probe.style.cssText = 'position:fixed;left:-10000px;top:0;width:1px;height:1px;border:0;visibility:hidden';
    let timer;
    const finish = (result) => {
      clearTimeout(timer);
      probe.remove();
      resolve(result);
    };
    timer = setTimeout(() => finish('unknown'), PROBE_TIMEOUT_MS);
    probe.addEventListener('load', () => {
      const doc = probe.contentDocument;
      if (!doc || !doc.body) {
        finish('unknown');
        return;
      }
      // The portal's own CSP refusing the <object> fires `error` first and
      // the violation right after: wait a moment before believing an error.
      let blockedHere = false;
      doc.addEventListener('securitypolicyviolation', () => { blockedHere = true; });
      const object = doc.createElement('object');
      object.addEventListener('load', () => finish('shown'));
      object.addEventListener('error', () => setTimeout(() => finish(blockedHere ? 'unknown' : 'refused'), 250));
      object.type = 'text/html';
      object.data = url;
      doc.body.append(object);
    }, { once: true });
    // Outside <body>: nothing the server rendered (and hydration walks) moves.
    document.documentElement.append(probe);
  });

  const isWebUrl = (url) => {
    try { return ['http:', 'https:'].includes(new URL(url).protocol); } catch { return false; }
  };

  const showRefusal = (el) => {
    const cfg = configOf(el);
    const url = cfg.src.split('#')[0];
    refused.add(el);
    const iframe = el.querySelector('iframe');
    if (iframe) iframe.hidden = true;
    const link = text('a', `Open ${url} in a new tab`);
    link.href = url;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    status(el,
      text('p', `${hostOf(url)} refuses to be shown inside another site (its X-Frame-Options or `
        + 'Content-Security-Policy frame-ancestors header). Ask its owner to allow this portal\'s '
        + 'origin in frame-ancestors, or open it in a new tab.'),
      link);
  };

  const checkFraming = (el) => {
    const url = configOf(el).src.split('#')[0];
    if (probed.has(el) || !isWebUrl(url)) return;
    probed.add(el);
    probeFraming(url).then((result) => {
      // Unless the widget has been given another URL meanwhile.
      if (result === 'refused' && configOf(el).src.split('#')[0] === url) showRefusal(el);
    });
  };

  const setUp = (el) => {
    if (el.dataset[READY]) return;
    el.dataset[READY] = '1';
    const cfg = configOf(el);
    const iframe = el.querySelector('iframe');
    if (!iframe) return;
    // Protected ones too, before signing in: a sign-in is no use for a page
    // that will not be shown.
    checkFraming(el);
    if (cfg.urlType !== 'protected') return;
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

  // Hydration or a client-side navigation may also reuse a widget's nodes and
  // only change its data attributes: then it is set up afresh.
  const WATCHED = ['data-widget', 'data-url-type', 'data-src', 'data-origin', 'data-authorization-url',
    'data-token-url', 'data-client-id', 'data-scopes'];
  const reset = (el) => {
    if (!el.dataset[READY]) return;
    delete el.dataset[READY];
    refused.delete(el);
    probed.delete(el);
    const iframe = el.querySelector('iframe');
    if (iframe) {
      iframe.hidden = false;
      // A page framed with a token for the old settings goes.
      if (iframe.src.includes('#access_token=')) iframe.src = 'about:blank';
    }
    status(el);
    setUp(el);
  };

  const sweep = (root) => {
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    if (root.matches('.iframe-widget')) setUp(root);
    root.querySelectorAll('.iframe-widget').forEach(setUp);
  };
  const start = () => {
    sweep(document.body);
    new MutationObserver((changes) => {
      for (const change of changes) {
        if (change.type === 'attributes') {
          // Hydration writes every attribute again with the value it had:
          // only a real change sets the widget up afresh (a reset per
          // rewrite re-navigated the framed page away from its token).
          const now = change.target.getAttribute(change.attributeName);
          if (change.oldValue !== now && change.target.matches('.iframe-widget')) reset(change.target);
        } else {
          change.addedNodes.forEach(sweep);
        }
      }
    }).observe(document.body, {
      childList: true, subtree: true, attributes: true, attributeOldValue: true, attributeFilter: WATCHED,
    });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
