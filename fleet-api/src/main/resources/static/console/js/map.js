// Leaflet maps with the tile source of config.json, and the fleet's vehicles drawn on them.
// Vehicles, trips and geofences are drawn whether or not tiles load.
/* global L */
import { consoleConfig } from './auth.js';
import { ago, formatSpeed, h } from './dom.js';
import * as fleet from './fleet.js';

const WORLD = [20, 0];

/** A Leaflet map in `container`, with the configured tiles and their attribution. */
export function createMap(container, { onTileTrouble } = {}) {
  const map = L.map(container, { keyboard: true, zoomControl: true }).setView(WORLD, 2);
  const tiles = consoleConfig().tiles;
  if (tiles?.url) {
    let failures = 0;
    L.tileLayer(tiles.url, { attribution: tiles.attribution || '', maxZoom: tiles.maxZoom || 19 })
      .on('tileerror', () => {
        failures += 1;
        if (failures === 1 && onTileTrouble) onTileTrouble();
      })
      .addTo(map);
  }
  return map;
}

/**
 * The fleet's vehicles as markers on `map`, coloured by status, following the live stream.
 * Each marker's element carries data-vehicle-id, data-lat, data-lng and data-status, and opens
 * its popup on Enter as well as on a click.
 */
export function vehicleLayer(map, { filter = () => true, onUpdate = () => {} } = {}) {
  const markers = new Map();
  const layer = L.layerGroup().addTo(map);

  function markerElement(id) {
    return h('span', { class: 'vehicle-marker', 'data-vehicle-id': id });
  }

  function update(id) {
    const position = fleet.positionOf(id);
    const vehicle = fleet.vehicle(id);
    let marker = markers.get(id);
    if (!position || !vehicle || !filter(vehicle)) {
      if (marker) {
        layer.removeLayer(marker);
        markers.delete(id);
      }
      return;
    }
    const status = fleet.statusOf(position);
    const latLng = [position.latitude, position.longitude];
    if (!marker) {
      const element = markerElement(id);
      marker = L.marker(latLng, {
        icon: L.divIcon({ html: element, className: 'vehicle-icon', iconSize: [18, 18] }),
        title: vehicle.name,
        alt: vehicle.name,
        keyboard: true,
      });
      marker.element = element;
      marker.bindPopup(() => popup(id));
      layer.addLayer(marker);
      markers.set(id, marker);
    } else {
      marker.setLatLng(latLng);
      if (marker.isPopupOpen()) marker.setPopupContent(popup(id));
    }
    const el = marker.element;
    el.dataset.lat = String(position.latitude);
    el.dataset.lng = String(position.longitude);
    el.dataset.status = status;
    el.className = `vehicle-marker ${status}`;
    marker.options.title = vehicle.name;
    marker.getElement()?.setAttribute('title', `${vehicle.name} (${status})`);
    marker.getElement()?.setAttribute('aria-label', `${vehicle.name}, ${status}`);
  }

  function updateAll() {
    const ids = new Set(fleet.allVehicles().map((v) => v.id));
    for (const id of markers.keys()) if (!ids.has(id)) update(id);
    ids.forEach(update);
    onUpdate();
  }

  updateAll();
  const unsubscribe = fleet.onPosition((id) => {
    if (id === null) updateAll();
    else {
      update(id);
      onUpdate();
    }
  });
  // Statuses age: a vehicle that stops sending turns offline without a new message.
  const ticker = setInterval(() => [...markers.keys()].forEach(update), 30_000);

  return {
    markers,
    bounds() {
      const points = [...markers.values()].map((m) => m.getLatLng());
      return points.length ? L.latLngBounds(points) : null;
    },
    refilter: updateAll,
    remove() {
      unsubscribe();
      clearInterval(ticker);
      layer.remove();
    },
  };
}

/** The popup of a vehicle: name, plate, speed, last seen; all as text. */
function popup(id) {
  const vehicle = fleet.vehicle(id);
  const position = fleet.positionOf(id);
  return h(
    'div',
    { class: 'vehicle-popup' },
    h('strong', {}, vehicle?.name ?? ''),
    h(
      'dl',
      {},
      h('dt', {}, 'Plate'),
      h('dd', {}, vehicle?.plate || '–'),
      h('dt', {}, 'Speed'),
      h('dd', {}, formatSpeed(position?.speedKmh)),
      h('dt', {}, 'Last seen'),
      h('dd', {}, ago(position?.recordedAt)),
      h('dt', {}, 'Status'),
      h('dd', {}, fleet.statusOf(position)),
    ),
    h('a', { href: `#/vehicles/${encodeURIComponent(id)}` }, 'Open vehicle'),
  );
}

/** Fits the map to `bounds` if there are any, keeping a sensible zoom for a single point. */
export function fit(map, bounds) {
  if (bounds && bounds.isValid()) map.fitBounds(bounds.pad(0.2), { maxZoom: 15 });
}
