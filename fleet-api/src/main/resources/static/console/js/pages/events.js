// The event feed: the fleet's most recent events, newest first, with new ones from the live
// stream added at the top.
import { get } from '../api.js';
import { formatSpeed, formatTime, h, notice, replace } from '../dom.js';
import * as fleet from '../fleet.js';

/** How many events the console keeps and shows. */
const KEEP = 500;
/** Pages the feed is read through at most; a fleet with more events shows the newest read. */
const MAX_PAGES = 50;

const LABELS = {
  trip_started: 'Trip started',
  trip_ended: 'Trip ended',
  geofence_entered: 'Entered geofence',
  geofence_exited: 'Left geofence',
  overspeed: 'Overspeed',
  device_offline: 'Device offline',
  device_online: 'Device online',
  event_retracted: 'Retracted',
};

/**
 * The fleet's last events, oldest first. The feed is ordered oldest first, so it is read page
 * by page from the last event read (not the highest id: ids stored at the same moment by different
 * services can come slightly out of order); later calls continue from there. Each event read is
 * stamped with `arrival`, the order in which the console learnt of it (see `arrived`).
 */
let seen = [];
let lastId = 0;
let reading = null;
export function recentEvents() {
  // One reading at a time: two at once would both continue from the same event and add twice.
  reading ??= readNewer().finally(() => {
    reading = null;
  });
  return reading;
}

async function readNewer() {
  for (let page = 0; page < MAX_PAGES; page++) {
    const answer = await get(`/api/v1/events?after=${lastId}&limit=1000`);
    answer.items.forEach((e) => arrived(e));
    seen.push(...answer.items);
    if (answer.items.length) lastId = answer.items[answer.items.length - 1].id;
    if (seen.length > KEEP) seen = seen.slice(-KEEP);
    if (!answer.nextCursor) break;
  }
  return [...seen];
}

/**
 * Stamps `e` with its arrival number: the next one for an event the console had not learnt of
 * yet, so the feed's events in the feed's order (the order they were stored) and the stream's as
 * it delivers them; the stream's own for an event the feed brings after the stream did. The events
 * page lists the highest first.
 */
let arrivals = 0;
const streamed = new Map(); // id -> arrival of events the stream brought and the feed did not yet
function arrived(e, fromStream = false) {
  e.arrival = streamed.get(e.id) ?? ++arrivals;
  if (!fromStream) streamed.delete(e.id);
  else if (streamed.set(e.id, e.arrival).size > KEEP) streamed.delete(streamed.keys().next().value);
  return e;
}

/** When `e` is a retraction, marks the event it retracts among `byId`. */
function markRetracted(byId, e) {
  const retracted = e.type === 'event_retracted' ? byId.get(e.details?.retractedId) : null;
  if (retracted) retracted.retractedBy = e.id;
}

/**
 * An event as a line of text nodes: time, vehicle, what happened. An event that later history
 * retracted is struck through; a retraction names what it retracted.
 */
export function describeEvent(e) {
  const vehicle = fleet.vehicle(e.vehicleId);
  const details = e.details || {};
  const what = [];
  if (e.type === 'event_retracted') what.push(LABELS[details.retractedType] || details.retractedType);
  if (details.geofenceName) what.push(`“${details.geofenceName}”`);
  if (e.type === 'overspeed') what.push(`${formatSpeed(details.speedKmh)} where ${formatSpeed(details.limitKmh)} allowed`);
  if (details.live === false) what.push('(late upload)');
  return h(
    'span',
    {
      class: `event ${e.type}${e.retractedBy != null ? ' retracted' : ''}`,
      'data-event-id': e.id,
      'data-event-type': e.type,
      'data-vehicle-id': e.vehicleId,
    },
    h('time', { datetime: e.occurredAt }, formatTime(e.occurredAt)),
    ' ',
    h('a', { href: `#/vehicles/${encodeURIComponent(e.vehicleId)}` }, vehicle?.name ?? 'unknown vehicle'),
    ' ',
    h('strong', {}, LABELS[e.type] || e.type),
    what.length ? ` ${what.join(' ')}` : '',
  );
}

export function render(main) {
  const list = h('ol', { id: 'event-feed', class: 'events', 'aria-live': 'polite' });
  const filter = h(
    'select',
    { id: 'event-type' },
    h('option', { value: '' }, 'all types'),
    Object.entries(LABELS).map(([type, label]) => h('option', { value: type }, label)),
  );
  const messages = h('div');
  replace(
    main,
    h(
      'section',
      { class: 'page events-page' },
      h('h1', {}, 'Events'),
      h('label', { for: 'event-type' }, 'Show '),
      filter,
      messages,
      list,
    ),
  );
  // id -> event; at most KEEP, those that arrived last.
  const events = new Map();

  function draw() {
    const type = filter.value;
    const shown = [...events.values()].filter((e) => !type || e.type === type).sort((a, b) => b.arrival - a.arrival);
    replace(list, shown.length ? null : h('li', {}, 'No events yet.'), shown.map((e) => h('li', {}, describeEvent(e))));
  }

  /**
   * Adds `e`, or takes the feed's copy of a known event: it keeps the place the event first had,
   * so a reading never moves an event, and a retraction already seen.
   */
  function add(e) {
    const known = events.get(e.id);
    events.set(e.id, known ? { ...e, arrival: known.arrival, retractedBy: e.retractedBy ?? known.retractedBy } : e);
  }

  /** Drops the events that arrived first beyond KEEP. */
  function trim() {
    if (events.size <= KEEP) return;
    const oldest = [...events.values()].sort((a, b) => a.arrival - b.arrival).slice(0, events.size - KEEP);
    oldest.forEach((e) => events.delete(e.id));
  }

  // The feed is read again whenever the console reads the fleet again (on a reconnect of the live
  // stream, after a reset, periodically), so an event the stream did not bring still shows.
  const readFeed = () =>
    recentEvents()
      .then((loaded) => {
        loaded.forEach(add);
        trim();
        events.forEach((e) => markRetracted(events, e));
        draw();
      })
      .catch((e) => replace(messages, notice(e.message, 'error')));
  readFeed();
  filter.addEventListener('change', draw);
  const unsubscribe = fleet.onEvent((e) => {
    if (events.has(e.id)) return;
    add(arrived({ ...e }, true));
    trim();
    markRetracted(events, e);
    draw();
  });
  const unsubscribeVehicles = fleet.onPosition((id) => id === null && readFeed());
  return () => {
    unsubscribe();
    unsubscribeVehicles();
  };
}
