// What the console knows of the fleet: its vehicles and their latest positions, loaded through
// the REST API and then kept current by the live stream. Pages subscribe to changes.
import { get, getAll } from './api.js';
import { openLiveStream } from './live.js';

/** Faster than this a vehicle is moving; GPS jitter of a parked one stays below it. */
export const MOVING_ABOVE_KMH = 3;
/** A vehicle whose newest position is older than this is offline. */
export const OFFLINE_AFTER_MS = 10 * 60 * 1000;
/** The console draws at most this many vehicles. */
const MAX_VEHICLES = 10000;

const vehicles = new Map(); // id -> vehicle as the API answers it
const positions = new Map(); // vehicle id -> latest position
const positionListeners = new Set();
const eventListeners = new Set();
const stateListeners = new Set();
let stream = null;
let liveState = 'stopped';

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

/** Loads the vehicles and their latest positions, then follows the live stream. */
export async function start() {
  await reload();
  stream = openLiveStream(handleMessage, (state) => {
    liveState = state;
    stateListeners.forEach((listener) => listener(state));
  });
}

export function stop() {
  stream?.stop();
  stream = null;
}

async function reload() {
  const [vehicleList, positionList] = await Promise.all([
    getAll('/api/v1/vehicles', MAX_VEHICLES),
    getAll('/api/v1/positions?bbox=-180,-90,180,90', MAX_VEHICLES),
  ]);
  vehicles.clear();
  vehicleList.forEach((v) => vehicles.set(v.id, v));
  positions.clear();
  positionList.forEach((p) => positions.set(p.vehicleId, p));
  positionListeners.forEach((listener) => listener(null));
}

/** Re-reads a vehicle (a new one, or a renamed one) and tells the listeners. */
export async function refreshVehicle(id) {
  const fresh = await get(`/api/v1/vehicles/${encodeURIComponent(id)}`);
  vehicles.set(fresh.id, fresh);
  positionListeners.forEach((listener) => listener(fresh.id));
  return fresh;
}

function handleMessage(event, data) {
  if (event === 'position' && data?.vehicleId) {
    const known = positions.get(data.vehicleId);
    // Late pings are streamed too; the map shows the newest position only.
    if (known && new Date(known.recordedAt) > new Date(data.recordedAt)) return;
    positions.set(data.vehicleId, data);
    if (!vehicles.has(data.vehicleId) && vehicles.size < MAX_VEHICLES) {
      refreshVehicle(data.vehicleId).catch(() => undefined);
    }
    positionListeners.forEach((listener) => listener(data.vehicleId));
  } else if (event === 'event' && data) {
    eventListeners.forEach((listener) => listener(data));
  } else if (event === 'reset') {
    // The server could not replay what was missed: read the state again.
    reload().catch(() => undefined);
  }
}
