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
 * services can come slightly out of order); later calls continue from there.
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
    seen.push(...answer.items);
    if (answer.items.length) lastId = answer.items[answer.items.length - 1].id;
    if (seen.length > KEEP) seen = seen.slice(-KEEP);
    if (!answer.nextCursor) break;
  }
  return [...seen];
}

/** Marks each event of `events` that a retraction among them retracts. */
function markRetracted(events) {
  const byId = new Map(events.map((e) => [e.id, e]));
  for (const e of events) {
    const retracted = e.type === 'event_retracted' ? byId.get(e.details?.retractedId) : null;
    if (retracted) retracted.retractedBy = e.id;
  }
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
  let events = [];

  function draw() {
    const type = filter.value;
    const shown = events.filter((e) => !type || e.type === type).slice(-KEEP).reverse();
    replace(list, shown.length ? null : h('li', {}, 'No events yet.'), shown.map((e) => h('li', {}, describeEvent(e))));
  }

  // The feed is read again whenever the console reads the fleet again (on a reconnect of the live
  // stream, after a reset, periodically), so an event the stream did not bring still shows.
  const readFeed = () =>
    recentEvents()
      .then((loaded) => {
        const ids = new Set(loaded.map((e) => e.id));
        events = [...loaded, ...events.filter((e) => !ids.has(e.id))];
        markRetracted(events);
        draw();
      })
      .catch((e) => replace(messages, notice(e.message, 'error')));
  readFeed();
  filter.addEventListener('change', draw);
  const unsubscribe = fleet.onEvent((e) => {
    if (events.some((known) => known.id === e.id)) return;
    events.push(e);
    markRetracted(events);
    draw();
  });
  const unsubscribeVehicles = fleet.onPosition((id) => id === null && readFeed());
  return () => {
    unsubscribe();
    unsubscribeVehicles();
  };
}
