// Calls to the fleet API with the signed-in user's token. A 401 is retried once after a token
// refresh; if that fails too, the session is over and the sign-in page shows.
import { consoleConfig, currentAccessToken, refresh } from './auth.js';

/** An answer of the API that was not a success; `problem` is its problem document, if any. */
export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `The fleet API answered ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function apiUrl(path) {
  const base = consoleConfig().apiBase || '';
  return new URL(base.replace(/\/$/, '') + path, window.location.href).href;
}

/** A request with the access token; refreshes once on 401. */
export async function authorizedFetch(path, options = {}) {
  const send = () =>
    fetch(apiUrl(path), {
      ...options,
      headers: { ...(options.headers || {}), Authorization: `Bearer ${currentAccessToken()}` },
    });
  let response = await send();
  if (response.status === 401 && (await refresh())) {
    response = await send();
  }
  return response;
}

async function json(method, path, body) {
  const response = await authorizedFetch(path, {
    method,
    headers: {
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch {
      // not a problem document
    }
    throw new ApiError(response.status, problem);
  }
  return response.status === 204 ? null : response.json();
}

export const get = (path) => json('GET', path);
export const post = (path, body) => json('POST', path, body);
export const put = (path, body) => json('PUT', path, body);
export const del = (path) => json('DELETE', path);

/**
 * Every item of a paged list, following nextCursor up to `maxItems` (the console draws at most
 * that many, so that a huge fleet cannot exhaust the browser's memory).
 */
export async function getAll(path, maxItems = 10000) {
  const items = [];
  let cursor = null;
  do {
    const url = new URL(path, 'http://x');
    url.searchParams.set('limit', '1000');
    if (cursor) url.searchParams.set('cursor', cursor);
    const page = await get(url.pathname + url.search);
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && items.length < maxItems);
  return items.slice(0, maxItems);
}
