// One vehicle: where it is, its trips (drawn on the map with start and end), stops and events.
/* global L */
import { get, getAll } from '../api.js';
import { formatDistance, formatDuration, formatSpeed, formatTime, ago, h, notice, replace } from '../dom.js';
import * as fleet from '../fleet.js';
import { createMap, fit, vehicleLayer } from '../map.js';
import { describeEvent, recentEvents } from './events.js';

const DAY_MS = 24 * 3600 * 1000;

export function render(main, [vehicleId]) {
  const heading = h('h1', {}, 'Vehicle');
  const facts = h('dl', { class: 'facts' });
  const days = h(
    'select',
    { id: 'trip-days' },
    [1, 7, 30].map((d) => h('option', { value: d, selected: d === 7 }, d === 1 ? 'last 24 hours' : `last ${d} days`)),
  );
  const trips = h('ol', { class: 'trips', 'aria-label': 'Trips' });
  const stops = h('ol', { class: 'stops', 'aria-label': 'Stops' });
  const events = h('ol', { class: 'events', 'aria-label': 'Events of this vehicle' });
  const tripSummary = h('p', { class: 'trip-summary', role: 'status' });
  const mapElement = h('div', { id: 'vehicle-map', class: 'map', role: 'region', 'aria-label': 'Vehicle map' });
  const messages = h('div', { 'aria-live': 'polite' });
  replace(
    main,
    h(
      'section',
      { class: 'page vehicle-page' },
      h('p', {}, h('a', { href: '#/vehicles' }, '← Vehicles')),
      heading,
      messages,
      h(
        'div',
        { class: 'split' },
        h('div', { class: 'split-map' }, mapElement, tripSummary),
        h(
          'div',
          { class: 'split-side' },
          facts,
          h('h2', {}, 'Trips'),
          h('label', { for: 'trip-days' }, 'Show '),
          days,
          trips,
          h('h2', {}, 'Stops'),
          stops,
          h('h2', {}, 'Events'),
          events,
        ),
      ),
    ),
  );

  const map = createMap(mapElement, {
    onTileTrouble: () => messages.append(notice('Map tiles could not be loaded.', 'warning')),
  });
  const marker = vehicleLayer(map, { filter: (v) => v.id === vehicleId });
  const tripLayer = L.layerGroup().addTo(map);
  fit(map, marker.bounds());

  function drawFacts() {
    const vehicle = fleet.vehicle(vehicleId);
    const position = fleet.positionOf(vehicleId);
    if (!vehicle) return;
    heading.textContent = vehicle.name;
    document.title = `${vehicle.name} · Fleetline`;
    replace(
      facts,
      h('dt', {}, 'Plate'), h('dd', {}, vehicle.plate || '–'),
      h('dt', {}, 'VIN'), h('dd', {}, vehicle.vin || '–'),
      h('dt', {}, 'Devices'), h('dd', {}, (vehicle.devices || []).map((d) => `${d.protocol} ${d.identifier}`).join(', ') || '–'),
      h('dt', {}, 'Status'), h('dd', {}, fleet.statusOf(position)),
      h('dt', {}, 'Speed'), h('dd', {}, formatSpeed(position?.speedKmh)),
      h('dt', {}, 'Last seen'), h('dd', {}, position ? `${formatTime(position.recordedAt)} (${ago(position.recordedAt)})` : 'never'),
    );
  }

  async function showTrip(trip, button) {
    trips.querySelectorAll('button[aria-pressed]').forEach((b) => b.setAttribute('aria-pressed', 'false'));
    button.setAttribute('aria-pressed', 'true');
    tripLayer.clearLayers();
    const full = await get(`/api/v1/trips/${encodeURIComponent(trip.id)}`);
    const coordinates = full.path?.coordinates || [];
    const line = L.polyline(
      coordinates.map(([lon, lat]) => [lat, lon]),
      { className: 'trip-line', weight: 5 },
    ).addTo(tripLayer);
    L.circleMarker([full.start.latitude, full.start.longitude], { className: 'trip-start', radius: 8 })
      .bindTooltip(h('span', {}, `Start ${formatTime(full.startedAt)}`))
      .addTo(tripLayer);
    L.circleMarker([full.end.latitude, full.end.longitude], { className: 'trip-end', radius: 8 })
      .bindTooltip(h('span', {}, full.open ? 'Now (trip still open)' : `End ${formatTime(full.endedAt)}`))
      .addTo(tripLayer);
    mapElement.dataset.tripId = full.id;
    mapElement.dataset.tripPoints = String(coordinates.length);
    tripSummary.textContent =
      `Trip ${formatTime(full.startedAt)} – ${full.open ? 'now' : formatTime(full.endedAt)}: ` +
      `${formatDistance(full.distanceM)} in ${formatDuration(full.durationS)}, ` +
      `average ${formatSpeed(full.avgSpeedKmh)}, top ${formatSpeed(full.maxSpeedKmh)}`;
    if (coordinates.length) fit(map, line.getBounds());
  }

  async function load() {
    const to = new Date(Date.now() + 60_000);
    const from = new Date(to.getTime() - Number(days.value) * DAY_MS);
    const range = `from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
    const id = encodeURIComponent(vehicleId);
    const [tripList, stopList] = await Promise.all([
      getAll(`/api/v1/vehicles/${id}/trips?${range}`, 1000),
      getAll(`/api/v1/vehicles/${id}/stops?${range}`, 1000),
    ]);
    replace(
      trips,
      tripList.length ? null : h('li', {}, 'No trips in this period.'),
      tripList.reverse().map((trip) => {
        const button = h(
          'button',
          { type: 'button', class: 'trip', 'data-trip-id': trip.id, 'aria-pressed': 'false' },
          `${formatTime(trip.startedAt)}${trip.open ? ' (driving)' : ''}: ${formatDistance(trip.distanceM)}, ` +
            `${formatDuration(trip.durationS)}, avg ${formatSpeed(trip.avgSpeedKmh)}, top ${formatSpeed(trip.maxSpeedKmh)}`,
        );
        button.addEventListener('click', () =>
          showTrip(trip, button).catch((e) => messages.replaceChildren(notice(e.message, 'error'))),
        );
        return h('li', {}, button);
      }),
    );
    replace(
      stops,
      stopList.length ? null : h('li', {}, 'No stops in this period.'),
      stopList.reverse().map((stop) =>
        h('li', {}, `${formatTime(stop.startedAt)}${stop.open ? ' (parked now)' : ''}: ${formatDuration(stop.durationS)} at ` +
          `${stop.location.latitude.toFixed(5)}, ${stop.location.longitude.toFixed(5)}`),
      ),
    );
  }

  async function loadEvents() {
    const own = (await recentEvents()).filter((e) => e.vehicleId === vehicleId).reverse();
    replace(events, own.length ? null : h('li', {}, 'No recent events.'), own.slice(0, 100).map((e) => h('li', {}, describeEvent(e))));
  }

  const report = (e) => messages.replaceChildren(notice(e.message, 'error'));
  days.addEventListener('change', () => load().catch(report));
  drawFacts();
  if (!fleet.vehicle(vehicleId)) fleet.refreshVehicle(vehicleId).then(drawFacts).catch(report);
  load().catch(report);
  loadEvents().catch(report);
  const unsubscribe = fleet.onPosition((id) => {
    if (id === null || id === vehicleId) drawFacts();
  });
  const unsubscribeEvents = fleet.onEvent((e) => {
    if (e.vehicleId !== vehicleId) return;
    events.querySelector('li:only-child:not([data-event-id])')?.remove();
    events.prepend(h('li', {}, describeEvent(e)));
    if (e.type === 'trip_started' || e.type === 'trip_ended') load().catch(report);
  });
  window.fleetlineConsole.map = map;
  return () => {
    unsubscribe();
    unsubscribeEvents();
    marker.remove();
    map.remove();
  };
}
