// What the console knows of the fleet: its vehicles and their latest positions, kept current by
// the live stream and by reading them through the REST API again now and then. Pages subscribe to
// changes.
import { get, getAll } from './api.js';
import { consoleConfig } from './auth.js';
import { openLiveStream } from './live.js';

/** Faster than this a vehicle is moving; GPS jitter of a parked one stays below it. */
export const MOVING_ABOVE_KMH = 3;
/** A vehicle whose newest position is older than this is offline. */
export const OFFLINE_AFTER_MS = 10 * 60 * 1000;
/** The console draws at most this many vehicles. */
const MAX_VEHICLES = 10000;
/** How long the first load waits for the live stream to connect before reading the lists. */
const STREAM_WAIT_MS = 5000;
/** How often the lists are read again when config.json does not say, and at the fastest. */
const DEFAULT_REFRESH_MS = 30_000;
const MIN_REFRESH_MS = 1000;

const vehicles = new Map(); // id -> vehicle as the API answers it
/**
 * Vehicle id -> `learnt` when the stream or a single read last brought the vehicle: a reading of
 * the lists that began before that does not drop it for being missing from its older list.
 */
const learntAt = new Map();
let learnt = 0;
const positions = new Map(); // vehicle id -> latest position
const positionListeners = new Set();
const eventListeners = new Set();
const stateListeners = new Set();
let stream = null;
let liveState = 'stopped';
/** The signed-in session's loading state; replaced at each start, null once stopped. */
let current = null;

/** moving, parked or offline, by the rules above. */
export function statusOf(position, now = Date.now()) {
  if (!position) return 'offline';
  if (now - new Date(position.recordedAt).getTime() > OFFLINE_AFTER_MS) return 'offline';
  return (position.speedKmh ?? 0) > MOVING_ABOVE_KMH ? 'moving' : 'parked';
}

export function vehicle(id) {
  return vehicles.get(id);
}

export function allVehicles() {
  return [...vehicles.values()];
}

export function positionOf(id) {
  return positions.get(id);
}

export function onPosition(listener) {
  positionListeners.add(listener);
  return () => positionListeners.delete(listener);
}

export function onEvent(listener) {
  eventListeners.add(listener);
  return () => eventListeners.delete(listener);
}

export function onLiveState(listener) {
  stateListeners.add(listener);
  listener(liveState);
  return () => stateListeners.delete(listener);
}

/**
 * Follows the live stream, then loads the vehicles and their latest positions, and loads them
 * again whenever the stream connects without resuming, after a `reset`, and every
 * `positionsRefreshMs` of config.json while the page is visible; one load at a time. The stream carries pings before routing stores them, so a ping published just
 * before the stream connected can still be missing from a position list read just after: reading
 * the list again, merged newest-wins, brings every marker to its latest position.
 */
export async function start() {
  stop();
  const session = { started: false };
  current = session;
  let connectedOrFailed;
  const firstAttempt = new Promise((resolve) => {
    connectedOrFailed = resolve;
  });
  stream = openLiveStream(handleMessage, (state, resumed) => {
    liveState = state;
    stateListeners.forEach((listener) => listener(state));
    // A resumed stream brings what was missed, or a `reset` that reads the lists again.
    if (state === 'connected' && !resumed && session.started) refreshQuietly(session);
    connectedOrFailed();
  });
  // Subscribed first, so that every ping published from now on reaches the map; the wait is
  // bounded, since the map is still worth showing from the list alone.
  await Promise.race([firstAttempt, delay(STREAM_WAIT_MS)]);
  // Loaded like every later reading, so that a connect meanwhile reads once more afterwards
  // instead of at the same time.
  session.started = true;
  await refresh(session);
  if (current === session) refreshPeriodically(session, refreshIntervalMs());
}

export function stop() {
  stream?.stop();
  stream = null;
  current?.stopRefreshing?.();
  current = null;
}

/** How often the position list is read again, from config.json; 30 s without it. */
function refreshIntervalMs() {
  const configured = Number(consoleConfig()?.positionsRefreshMs);
  return configured >= MIN_REFRESH_MS ? configured : DEFAULT_REFRESH_MS;
}

/**
 * Reads the lists again every `intervalMs` while the page is visible; a hidden page catches up as
 * soon as it is shown again.
 */
function refreshPeriodically(session, intervalMs) {
  let missed = false;
  const timer = setInterval(() => {
    if (document.visibilityState === 'hidden') missed = true;
    else refreshQuietly(session);
  }, intervalMs);
  const onVisible = () => {
    if (document.visibilityState !== 'hidden' && missed) {
      missed = false;
      refreshQuietly(session);
    }
  };
  document.addEventListener('visibilitychange', onVisible);
  session.stopRefreshing = () => {
    clearInterval(timer);
    document.removeEventListener('visibilitychange', onVisible);
  };
}

/**
 * Reads the lists again, once at a time: a request while one is under way makes it read once
 * more afterwards, as what it read may predate the reason for the request. Settles when the
 * readings are done.
 */
function refresh(session) {
  if (session.loading) {
    session.again = true;
    return session.loading;
  }
  session.loading = (async () => {
    try {
      do {
        session.again = false;
        await load(session);
      } while (session.again && current === session);
    } finally {
      session.loading = null;
    }
  })();
  return session.loading;
}

/** Reads the lists again; a failure waits for the next occasion. */
function refreshQuietly(session) {
  refresh(session).catch(() => undefined);
}

/**
 * Reads the vehicles and their latest positions and merges them into what the stream has shown:
 * for each vehicle the position recorded last wins, so a list read a moment ago never moves a
 * marker back. Vehicles no longer listed are dropped with their positions, unless the stream or
 * a single read brought them after the lists were asked for.
 */
async function load(session) {
  const began = learnt;
  const [vehicleList, positionList] = await Promise.all([
    getAll('/api/v1/vehicles', MAX_VEHICLES),
    getAll('/api/v1/positions?bbox=-180,-90,180,90', MAX_VEHICLES),
  ]);
  if (current !== session) return; // signed out meanwhile
  const listed = new Set(vehicleList.map((v) => v.id));
  const newer = (id) => listed.has(id) || learntAt.get(id) > began;
  for (const id of vehicles.keys()) if (!newer(id)) vehicles.delete(id);
  vehicleList.forEach((v) => vehicles.set(v.id, v));
  for (const id of positions.keys()) if (!newer(id)) positions.delete(id);
  for (const [id, at] of learntAt) if (at <= began) learntAt.delete(id);
  positionList.forEach(keepNewest);
  positionListeners.forEach((listener) => listener(null));
}

/** Keeps `position` unless the vehicle's known one was recorded later; true when kept. */
function keepNewest(position) {
  const known = positions.get(position.vehicleId);
  if (known && recordedAtMs(known) > recordedAtMs(position)) return false;
  positions.set(position.vehicleId, position);
  return true;
}

function recordedAtMs(position) {
  const ms = new Date(position.recordedAt).getTime();
  return Number.isNaN(ms) ? -Infinity : ms;
}

const delay = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Re-reads a vehicle (a new one, or a renamed one) and tells the listeners. */
export async function refreshVehicle(id) {
  const fresh = await get(`/api/v1/vehicles/${encodeURIComponent(id)}`);
  learntAt.set(fresh.id, ++learnt);
  vehicles.set(fresh.id, fresh);
  positionListeners.forEach((listener) => listener(fresh.id));
  return fresh;
}

function handleMessage(event, data) {
  if (event === 'position' && data?.vehicleId) {
    // Late pings are streamed too; the map shows the newest position only.
    if (!keepNewest(data)) return;
    if (!vehicles.has(data.vehicleId) && vehicles.size < MAX_VEHICLES) {
      learntAt.set(data.vehicleId, ++learnt);
      refreshVehicle(data.vehicleId).catch(() => undefined);
    }
    positionListeners.forEach((listener) => listener(data.vehicleId));
  } else if (event === 'event' && data) {
    eventListeners.forEach((listener) => listener(data));
  } else if (event === 'reset' && current) {
    // The server could not replay what was missed: read the state again.
    refreshQuietly(current);
  }
}
