// The vehicle list, searchable by name, plate, VIN or device identifier.
import { ago, formatSpeed, h, replace } from '../dom.js';
import * as fleet from '../fleet.js';

export function render(main) {
  const search = h('input', {
    id: 'vehicle-search',
    type: 'search',
    autocomplete: 'off',
    placeholder: 'name, plate, VIN or device',
  });
  const body = h('tbody');
  const summary = h('p', { class: 'summary', role: 'status' });
  replace(
    main,
    h(
      'section',
      { class: 'page list-page' },
      h('h1', {}, 'Vehicles'),
      h('label', { for: 'vehicle-search' }, 'Search'),
      search,
      summary,
      h(
        'div',
        { class: 'table-scroll' },
        h(
          'table',
          { class: 'vehicles' },
          h(
            'thead',
            {},
            h('tr', {}, ['Name', 'Plate', 'Status', 'Speed', 'Last seen'].map((c) => h('th', { scope: 'col' }, c))),
          ),
          body,
        ),
      ),
    ),
  );

  function matches(vehicle, words) {
    const text = [vehicle.name, vehicle.plate, vehicle.vin, ...(vehicle.devices || []).map((d) => d.identifier)]
      .filter(Boolean)
      .join(' ')
      .toLowerCase();
    return words.every((word) => text.includes(word));
  }

  function draw() {
    const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
    const shown = fleet
      .allVehicles()
      .filter((v) => matches(v, words))
      .sort((a, b) => a.name.localeCompare(b.name));
    summary.textContent = `${shown.length} of ${fleet.allVehicles().length} vehicles`;
    replace(
      body,
      shown.map((v) => {
        const position = fleet.positionOf(v.id);
        const status = fleet.statusOf(position);
        return h(
          'tr',
          { 'data-vehicle-id': v.id },
          h('td', {}, h('a', { href: `#/vehicles/${encodeURIComponent(v.id)}`, class: 'vehicle-name' }, v.name)),
          h('td', {}, v.plate || '–'),
          h('td', {}, h('span', { class: `status ${status}` }, status)),
          h('td', {}, formatSpeed(position?.speedKmh)),
          h('td', {}, ago(position?.recordedAt)),
        );
      }),
    );
  }

  search.addEventListener('input', draw);
  draw();
  const unsubscribe = fleet.onPosition(draw);
  search.focus();
  return unsubscribe;
}
