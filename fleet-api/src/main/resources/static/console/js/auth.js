// Sign-in with the authorization-code flow and PKCE (RFC 7636, S256) as a public client.
//
// Where tokens live: the access token only in memory (a module variable), the refresh token in
// sessionStorage. sessionStorage belongs to this tab alone and is cleared when the tab closes, so
// a reload keeps the user signed in without a long-lived token on disk or shared between tabs.
// Script running in the page could read either; the CSP forbids inline and foreign scripts, and
// the pages put every server value into the DOM as text. The PKCE verifier and the state wait in
// sessionStorage during the round trip to the sign-in page, which leaves this document.

const PENDING = 'fleetline.console.pending';
const REFRESH = 'fleetline.console.refresh';

let config;
let accessToken = null;
let refreshTimer = null;
let refreshing = null;
const signedOutListeners = [];

/** Loads config.json; every other function needs it. */
export async function loadConfig() {
  const response = await fetch('config.json', { headers: { Accept: 'application/json' } });
  if (!response.ok) throw new Error(`The console's settings could not be read (${response.status})`);
  config = await response.json();
  return config;
}

export function consoleConfig() {
  return config;
}

/** The URI the sign-in page sends the browser back to, as registered for the console. */
function redirectUri() {
  return config.redirectUri || new URL('./', window.location.href).href.split(/[?#]/)[0];
}

function base64Url(bytes) {
  let binary = '';
  for (const b of new Uint8Array(bytes)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(byteCount) {
  return base64Url(crypto.getRandomValues(new Uint8Array(byteCount)));
}

/** Sends the browser to the authorization endpoint; `returnTo` is the route to open afterwards. */
export async function signIn(returnTo) {
  const verifier = randomString(48);
  const state = randomString(24);
  const challenge = base64Url(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)),
  );
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state, returnTo: returnTo || '' }));
  const url = new URL(config.authorizationEndpoint, window.location.href);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', redirectUri());
  url.searchParams.set('scope', [].concat(config.scopes || []).join(' '));
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', challenge);
  url.searchParams.set('code_challenge_method', 'S256');
  window.location.assign(url.href);
}

/**
 * Finishes a sign-in if this page is the redirect back from the authorization endpoint. Returns
 * the route to open, or null when the page was not such a redirect. Throws when the answer is an
 * error or its state is not the one this tab sent.
 */
export async function completeSignIn() {
  const params = new URLSearchParams(window.location.search);
  if (!params.has('code') && !params.has('error')) return null;
  const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
  sessionStorage.removeItem(PENDING);
  // The code and state must not stay in the address bar or the history.
  window.history.replaceState(null, '', redirectUri() + window.location.hash);
  if (!pending || params.get('state') !== pending.state) {
    throw new Error('The sign-in answer does not belong to this sign-in; please sign in again.');
  }
  if (params.has('error')) {
    throw new Error(`Sign-in failed: ${params.get('error_description') || params.get('error')}`);
  }
  await tokenRequest({
    grant_type: 'authorization_code',
    code: params.get('code'),
    redirect_uri: redirectUri(),
    client_id: config.clientId,
    code_verifier: pending.verifier,
  });
  return pending.returnTo || '';
}

/** Signs in again silently with the refresh token of this tab, if it has one. */
export async function resumeSession() {
  if (!sessionStorage.getItem(REFRESH)) return false;
  return refresh();
}

async function tokenRequest(form) {
  const response = await fetch(config.tokenEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams(form),
  });
  if (!response.ok) {
    throw new Error(`The token endpoint refused the sign-in (${response.status})`);
  }
  const tokens = await response.json();
  accessToken = tokens.access_token;
  if (tokens.refresh_token) sessionStorage.setItem(REFRESH, tokens.refresh_token);
  scheduleRefresh(Number(tokens.expires_in) || 300);
}

/** Refreshes at four fifths of the access token's lifetime, so calls never carry an expired one. */
function scheduleRefresh(expiresInSeconds) {
  clearTimeout(refreshTimer);
  const delayMs = Math.max(5, expiresInSeconds * 0.8) * 1000;
  refreshTimer = setTimeout(() => refresh(), delayMs);
}

/**
 * Trades the refresh token for new tokens; the server rotates it, so the new one replaces it.
 * Concurrent callers share one request. Resolves to false (and signs out locally) on refusal.
 */
export function refresh() {
  if (!refreshing) {
    const token = sessionStorage.getItem(REFRESH);
    refreshing = (
      token
        ? tokenRequest({ grant_type: 'refresh_token', refresh_token: token, client_id: config.clientId })
        : Promise.reject(new Error('no refresh token'))
    )
      .then(() => true)
      .catch(() => {
        forget();
        signedOutListeners.forEach((listener) => listener());
        return false;
      })
      .finally(() => {
        refreshing = null;
      });
  }
  return refreshing;
}

export function currentAccessToken() {
  return accessToken;
}

export function isSignedIn() {
  return accessToken !== null;
}

/** Called when the session ends without the user asking (refresh refused, 401). */
export function onSignedOut(listener) {
  signedOutListeners.push(listener);
}

function forget() {
  clearTimeout(refreshTimer);
  accessToken = null;
  sessionStorage.removeItem(REFRESH);
}

/**
 * Signs out: revokes the access token (RFC 7009), then ends the sign-in at the logout endpoint,
 * which refuses the refresh token from now on and ends the browser's session at the sign-in form,
 * so that the next sign-in asks for the password again. Failures of either call do not keep the
 * person signed in here: the tokens are forgotten whatever the server answers.
 */
export async function signOut() {
  const refreshToken = sessionStorage.getItem(REFRESH);
  const access = accessToken;
  forget();
  const form = (fields) => ({
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
    credentials: 'include',
  });
  if (access && config.revocationEndpoint) {
    await fetch(
      config.revocationEndpoint,
      form({ token: access, token_type_hint: 'access_token', client_id: config.clientId }),
    ).catch(() => undefined);
  }
  if (config.externalIssuer && config.logoutEndpoint) {
    // An external issuer ends its session on its own page (OpenID Connect RP-initiated logout).
    if (refreshToken && config.revocationEndpoint) {
      await fetch(
        config.revocationEndpoint,
        form({ token: refreshToken, token_type_hint: 'refresh_token', client_id: config.clientId }),
      ).catch(() => undefined);
    }
    const url = new URL(config.logoutEndpoint);
    url.searchParams.set('client_id', config.clientId);
    url.searchParams.set('post_logout_redirect_uri', redirectUri());
    window.location.assign(url.href);
    return;
  }
  if (config.logoutEndpoint) {
    await fetch(config.logoutEndpoint, form(refreshToken ? { refresh_token: refreshToken } : {})).catch(
      () => undefined,
    );
  } else if (refreshToken && config.revocationEndpoint) {
    await fetch(
      config.revocationEndpoint,
      form({ token: refreshToken, token_type_hint: 'refresh_token', client_id: config.clientId }),
    ).catch(() => undefined);
  }
  window.location.assign(redirectUri());
}
