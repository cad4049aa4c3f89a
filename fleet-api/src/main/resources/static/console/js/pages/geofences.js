// Geofences on the map, and a small editor for polygons and circles. Points can be clicked on
// the map or typed as coordinates, so that drawing does not need a mouse.
/* global L */
import { del, getAll, post, put } from '../api.js';
import { h, notice, replace } from '../dom.js';
import { createMap, fit, vehicleLayer } from '../map.js';

/** "lat, lon" per line → [[lat, lon], …]; throws on a line that is not a coordinate pair. */
export function parsePoints(text) {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line, i) => {
      const parts = line.split(/[\s,;]+/).filter(Boolean).map(Number);
      const [lat, lon] = parts;
      if (parts.length !== 2 || !Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180) {
        throw new Error(`Point ${i + 1} is not "latitude, longitude": ${line}`);
      }
      return [lat, lon];
    });
}

function formatPoint([lat, lon]) {
  return `${lat.toFixed(6)}, ${lon.toFixed(6)}`;
}

/** The API's area of a form: a closed GeoJSON Polygon ([lon, lat]), or a circle. */
function areaOf(form) {
  if (form.shape === 'circle') {
    return { center: { latitude: form.center[0], longitude: form.center[1] }, radiusM: form.radiusM };
  }
  const ring = form.points.map(([lat, lon]) => [lon, lat]);
  ring.push(ring[0]);
  return { type: 'Polygon', coordinates: [ring] };
}

/** A Leaflet layer for a geofence's area as the API answers it. */
function layerOf(area, options) {
  if (area?.center) {
    return L.circle([area.center.latitude, area.center.longitude], { ...options, radius: area.radiusM });
  }
  const ring = (area?.coordinates?.[0] || []).map(([lon, lat]) => [lat, lon]);
  return L.polygon(ring.slice(0, -1), options);
}

export function render(main) {
  const mapElement = h('div', { id: 'geofence-map', class: 'map', role: 'region', 'aria-label': 'Geofence map' });
  const list = h('ul', { class: 'geofences', 'aria-label': 'Geofences' });
  const messages = h('div', { 'aria-live': 'polite' });

  const name = h('input', { id: 'geofence-name', required: true, maxlength: 200, autocomplete: 'off' });
  const shapePolygon = h('input', { type: 'radio', name: 'shape', id: 'shape-polygon', value: 'polygon', checked: true });
  const shapeCircle = h('input', { type: 'radio', name: 'shape', id: 'shape-circle', value: 'circle' });
  const points = h('textarea', { id: 'geofence-points', rows: 6, spellcheck: 'false', placeholder: '52.5200, 13.4050' });
  const centerLat = h('input', { id: 'circle-lat', type: 'number', step: 'any', min: -90, max: 90 });
  const centerLon = h('input', { id: 'circle-lon', type: 'number', step: 'any', min: -180, max: 180 });
  const radius = h('input', { id: 'circle-radius', type: 'number', step: 'any', min: 1, value: 250 });
  const speedLimit = h('input', { id: 'geofence-speed-limit', type: 'number', step: 'any', min: 1, max: 1000 });
  const drawButton = h('button', { type: 'button', id: 'draw-on-map', 'aria-pressed': 'false' }, 'Click points on the map');
  const undoButton = h('button', { type: 'button', id: 'undo-point' }, 'Remove last point');
  const saveButton = h('button', { type: 'submit', id: 'save-geofence', class: 'primary' }, 'Create geofence');
  const cancelButton = h('button', { type: 'button', id: 'cancel-geofence' }, 'New geofence');
  const polygonFields = h(
    'div',
    { class: 'polygon-fields' },
    h('label', { for: 'geofence-points' }, 'Corners, one per line: latitude, longitude (at least 3)'),
    points,
    undoButton,
  );
  const circleFields = h(
    'div',
    { class: 'circle-fields', hidden: true },
    h('label', { for: 'circle-lat' }, 'Centre latitude'),
    centerLat,
    h('label', { for: 'circle-lon' }, 'Centre longitude'),
    centerLon,
    h('label', { for: 'circle-radius' }, 'Radius (m)'),
    radius,
  );
  const formTitle = h('h2', {}, 'New geofence');
  const form = h(
    'form',
    { id: 'geofence-form', novalidate: true },
    formTitle,
    h('label', { for: 'geofence-name' }, 'Name'),
    name,
    h(
      'fieldset',
      {},
      h('legend', {}, 'Shape'),
      shapePolygon,
      h('label', { for: 'shape-polygon' }, 'Polygon'),
      shapeCircle,
      h('label', { for: 'shape-circle' }, 'Circle'),
    ),
    polygonFields,
    circleFields,
    drawButton,
    h('label', { for: 'geofence-speed-limit' }, 'Speed limit (km/h, optional)'),
    speedLimit,
    h('div', { class: 'buttons' }, saveButton, cancelButton),
  );

  replace(
    main,
    h(
      'section',
      { class: 'page geofences-page' },
      h('h1', {}, 'Geofences'),
      messages,
      h(
        'div',
        { class: 'split' },
        h('div', { class: 'split-map' }, mapElement),
        h('div', { class: 'split-side' }, form, h('h2', {}, 'All geofences'), list),
      ),
    ),
  );

  const map = createMap(mapElement, {
    onTileTrouble: () => messages.append(notice('Map tiles could not be loaded.', 'warning')),
  });
  const vehicles = vehicleLayer(map);
  const fences = L.layerGroup().addTo(map);
  const preview = L.layerGroup().addTo(map);
  let editing = null; // the geofence being edited, or null for a new one
  let drawing = false;
  let geofences = [];

  const shape = () => (shapeCircle.checked ? 'circle' : 'polygon');

  function readForm() {
    const values = { name: name.value.trim(), shape: shape() };
    if (values.shape === 'circle') {
      values.center = [Number(centerLat.value), Number(centerLon.value)];
      values.radiusM = Number(radius.value);
      if (centerLat.value === '' || centerLon.value === '' || !values.center.every(Number.isFinite)) {
        throw new Error('Enter the centre as latitude and longitude, or click it on the map.');
      }
      if (!(values.radiusM > 0)) throw new Error('The radius must be more than 0 m.');
    } else {
      values.points = parsePoints(points.value);
      if (values.points.length < 3) throw new Error('A polygon needs at least 3 corners.');
    }
    return values;
  }

  function drawPreview() {
    preview.clearLayers();
    circleFields.hidden = shape() !== 'circle';
    polygonFields.hidden = shape() !== 'polygon';
    try {
      if (shape() === 'circle') {
        const lat = Number(centerLat.value);
        const lon = Number(centerLon.value);
        if (centerLat.value !== '' && centerLon.value !== '' && Number.isFinite(lat) && Number.isFinite(lon)) {
          L.circle([lat, lon], { radius: Number(radius.value) || 1, className: 'geofence-preview' }).addTo(preview);
        }
      } else {
        const corners = parsePoints(points.value);
        if (corners.length >= 2) L.polygon(corners, { className: 'geofence-preview' }).addTo(preview);
        corners.forEach((c) => L.circleMarker(c, { radius: 4, className: 'geofence-corner' }).addTo(preview));
      }
    } catch {
      // an unfinished line: the preview waits for it
    }
  }

  function setDrawing(on) {
    drawing = on;
    drawButton.setAttribute('aria-pressed', String(on));
    drawButton.textContent = on ? 'Stop clicking points' : 'Click points on the map';
    mapElement.classList.toggle('drawing', on);
  }

  map.on('click', (e) => {
    if (!drawing) return;
    const { lat, lng } = e.latlng.wrap();
    if (shape() === 'circle') {
      centerLat.value = lat.toFixed(6);
      centerLon.value = lng.toFixed(6);
    } else {
      points.value = `${points.value.trim()}\n${formatPoint([lat, lng])}`.trim();
    }
    drawPreview();
  });

  function startNew() {
    editing = null;
    formTitle.textContent = 'New geofence';
    saveButton.textContent = 'Create geofence';
    cancelButton.textContent = 'New geofence';
    name.value = '';
    points.value = '';
    centerLat.value = '';
    centerLon.value = '';
    radius.value = 250;
    speedLimit.value = '';
    shapePolygon.checked = true;
    setDrawing(false);
    drawPreview();
  }

  function startEdit(geofence) {
    editing = geofence;
    formTitle.textContent = `Edit ${geofence.name}`;
    saveButton.textContent = 'Save changes';
    cancelButton.textContent = 'Cancel';
    name.value = geofence.name;
    speedLimit.value = geofence.speedLimitKmh ?? '';
    if (geofence.area?.center) {
      shapeCircle.checked = true;
      centerLat.value = geofence.area.center.latitude;
      centerLon.value = geofence.area.center.longitude;
      radius.value = geofence.area.radiusM;
    } else {
      shapePolygon.checked = true;
      const ring = geofence.area.coordinates[0].slice(0, -1);
      points.value = ring.map(([lon, lat]) => formatPoint([lat, lon])).join('\n');
    }
    drawPreview();
    name.focus();
  }

  function drawList() {
    fences.clearLayers();
    geofences.forEach((g) => {
      layerOf(g.area, { className: 'geofence-area' })
        .bindTooltip(h('span', {}, g.name))
        .on('click', () => !drawing && startEdit(g))
        .addTo(fences);
    });
    replace(
      list,
      geofences.length ? null : h('li', {}, 'No geofences yet.'),
      geofences.map((g) => {
        const remove = h('button', { type: 'button', class: 'delete' }, 'Delete');
        remove.addEventListener('click', async () => {
          // A second press confirms: no browser dialog, and the keyboard works the same way.
          if (remove.dataset.confirm !== 'yes') {
            remove.dataset.confirm = 'yes';
            remove.textContent = `Really delete ${g.name}?`;
            return;
          }
          try {
            await del(`/api/v1/geofences/${encodeURIComponent(g.id)}`);
            if (editing?.id === g.id) startNew();
            await load();
            replace(messages, notice(`Deleted ${g.name}.`));
          } catch (e) {
            replace(messages, notice(e.message, 'error'));
          }
        });
        return h(
          'li',
          { 'data-geofence-id': g.id },
          h('span', { class: 'geofence-name' }, g.name),
          g.speedLimitKmh ? ` (limit ${g.speedLimitKmh} km/h)` : '',
          ' ',
          h('button', { type: 'button', class: 'edit', onclick: () => startEdit(g) }, 'Edit'),
          ' ',
          remove,
        );
      }),
    );
  }

  async function load() {
    geofences = await getAll('/api/v1/geofences', 5000);
    drawList();
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    let values;
    try {
      values = readForm();
      if (!values.name) throw new Error('Give the geofence a name.');
    } catch (e) {
      replace(messages, notice(e.message, 'error'));
      return;
    }
    const body = { name: values.name, area: areaOf(values) };
    if (speedLimit.value !== '') body.speedLimitKmh = Number(speedLimit.value);
    try {
      const saved = editing
        ? await put(`/api/v1/geofences/${encodeURIComponent(editing.id)}`, body)
        : await post('/api/v1/geofences', body);
      replace(messages, notice(`Saved ${saved.name}.`));
      startNew();
      await load();
    } catch (e) {
      replace(messages, notice(e.message, 'error'));
    }
  });
  drawButton.addEventListener('click', () => setDrawing(!drawing));
  undoButton.addEventListener('click', () => {
    points.value = points.value.trim().split('\n').slice(0, -1).join('\n');
    drawPreview();
  });
  cancelButton.addEventListener('click', startNew);
  [shapePolygon, shapeCircle].forEach((r) => r.addEventListener('change', drawPreview));
  [points, centerLat, centerLon, radius].forEach((f) => f.addEventListener('input', drawPreview));

  startNew();
  load()
    .then(() => {
      const all = L.featureGroup(fences.getLayers());
      const bounds = fences.getLayers().length ? all.getBounds() : vehicles.bounds();
      fit(map, bounds);
    })
    .catch((e) => replace(messages, notice(e.message, 'error')));
  window.fleetlineConsole.map = map;
  return () => {
    vehicles.remove();
    map.remove();
  };
}
