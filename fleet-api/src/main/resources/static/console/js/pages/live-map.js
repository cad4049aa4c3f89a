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
  let fitted = false;
  const vehicles = vehicleLayer(map, {
    onUpdate: () => {
      count.textContent = ` · ${vehicles?.markers.size ?? 0} on the map`;
      if (!fitted && vehicles?.markers.size) {
        fitted = true;
        fit(map, vehicles.bounds());
      }
    },
  });
  fitted = vehicles.markers.size > 0;
  count.textContent = ` · ${vehicles.markers.size} on the map`;
  fit(map, vehicles.bounds());
  window.fleetlineConsole.map = map;
  return () => {
    vehicles.remove();
    map.remove();
  };
}
