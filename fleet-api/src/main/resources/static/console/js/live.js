// The fleet's live stream (GET /api/v1/live). EventSource cannot send an Authorization header,
// so the stream is read with fetch and parsed here as the Server-Sent Events format defines it:
// lines of "field: value", a blank line ends a message, lines starting with ":" are comments.
import { authorizedFetch } from './api.js';

/** A line or message longer than this is not one the API sends: the stream is dropped and resumed. */
const MAX_LINE_CHARS = 1_000_000;
const MAX_BACKOFF_MS = 30_000;

/**
 * Keeps one live stream open until stopped, reconnecting with Last-Event-ID after an end or an
 * error. `onMessage(event, data)` gets each message's event name and parsed data; `onState(s)`
 * gets "connected", "reconnecting" or "stopped", and with "connected" whether the stream resumed
 * after the last message read (the server then replays what was missed, or sends a `reset`).
 */
export function openLiveStream(onMessage, onState = () => {}) {
  let lastEventId = null;
  let stopped = false;
  let controller = null;
  let backoffMs = 1000;

  async function run() {
    while (!stopped) {
      controller = new AbortController();
      try {
        const headers = { Accept: 'text/event-stream' };
        if (lastEventId) headers['Last-Event-ID'] = lastEventId;
        const response = await authorizedFetch('/api/v1/live', {
          headers,
          signal: controller.signal,
          cache: 'no-store',
        });
        if (response.status === 401) {
          stopped = true; // the session is over; auth has shown the sign-in page
          break;
        }
        if (!response.ok || !response.body) {
          const retryAfter = Number(response.headers.get('Retry-After'));
          if (retryAfter > 0) backoffMs = Math.min(retryAfter * 1000, MAX_BACKOFF_MS * 4);
          throw new Error(`live stream answered ${response.status}`);
        }
        onState('connected', lastEventId !== null);
        backoffMs = 1000;
        await read(response.body, (id, event, data) => {
          if (id) lastEventId = id;
          let parsed = null;
          try {
            parsed = data ? JSON.parse(data) : null;
          } catch {
            return; // not JSON: not a message this console understands
          }
          onMessage(event, parsed);
        });
      } catch (error) {
        if (stopped) break;
      }
      if (stopped) break;
      onState('reconnecting');
      await new Promise((resolve) => setTimeout(resolve, backoffMs));
      backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF_MS);
    }
    onState('stopped');
  }

  run();
  return {
    stop() {
      stopped = true;
      controller?.abort();
    },
  };
}

/** Reads a stream of SSE text until it ends, calling `dispatch(id, event, data)` per message. */
async function read(body, dispatch) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let id = null;
  let event = 'message';
  let data = [];
  let dataChars = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let newline;
    while ((newline = buffer.search(/\r\n|\r|\n/)) >= 0) {
      // A lone CR at the end may be the first half of a CRLF still on its way.
      if (newline === buffer.length - 1 && buffer.endsWith('\r')) break;
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer.startsWith('\r\n', newline) ? 2 : 1));
      if (line === '') {
        if (data.length) dispatch(id, event, data.join('\n'));
        id = null;
        event = 'message';
        data = [];
        dataChars = 0;
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      let valueText = colon < 0 ? '' : line.slice(colon + 1);
      if (valueText.startsWith(' ')) valueText = valueText.slice(1);
      if (field === 'id') id = valueText;
      else if (field === 'event') event = valueText;
      else if (field === 'data') {
        data.push(valueText);
        dataChars += valueText.length;
      }
    }
    if (buffer.length > MAX_LINE_CHARS || dataChars > MAX_LINE_CHARS) {
      await reader.cancel();
      throw new Error('live stream line too long');
    }
  }
}
