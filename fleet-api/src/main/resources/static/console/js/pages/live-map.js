// The live map: every vehicle of the fleet where it is now, coloured by status.
import { h, notice, replace } from '../dom.js';
import * as fleet from '../fleet.js';
import { createMap, fit, vehicleLayer } from '../map.js';

export function render(main) {
  const tileNotice = h('div', { class: 'map-notices', 'aria-live': 'polite' });
  const mapElement = h('div', { id: 'fleet-map', class: 'map', role: 'region', 'aria-label': 'Fleet map' });
  const count = h('span', { id: 'vehicle-count' });
  replace(
    main,
    h(
      'section',
      { class: 'page map-page' },
      h('h1', { class: 'visually-hidden' }, 'Live map'),
      h(
        'div',
        { class: 'legend', 'aria-label': 'Legend' },
        h('span', { class: 'swatch moving' }),
        `moving (over ${fleet.MOVING_ABOVE_KMH} km/h)`,
        h('span', { class: 'swatch parked' }),
        'parked',
        h('span', { class: 'swatch offline' }),
        `offline (no position for ${fleet.OFFLINE_AFTER_MS / 60000} min)`,
        count,
      ),
      tileNotice,
      mapElement,
    ),
  );
  const map = createMap(mapElement, {
    onTileTrouble: () =>
      replace(tileNotice, notice('Map tiles could not be loaded; vehicles are still shown.', 'warning')),
  });
  // Fit the map to the fleet once, when the first vehicles are drawn; later the person pans.
  let fitted = false;
  let vehicles = null;
  const showCount = () => {
    const drawn = vehicles ? vehicles.markers.size : 0;
    count.textContent = ` · ${drawn} on the map`;
    if (!fitted && drawn) {
      fitted = true;
      fit(map, vehicles.bounds());
    }
  };
  vehicles = vehicleLayer(map, { onUpdate: showCount });
  showCount();
  window.fleetlineConsole.map = map;
  return () => {
    vehicles.remove();
    map.remove();
  };
}
