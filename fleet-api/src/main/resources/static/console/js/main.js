// The console's start: settings, sign-in, then the page named by the address's fragment.
import * as auth from './auth.js';
import { h, notice, replace } from './dom.js';
import * as fleet from './fleet.js';
import * as eventsPage from './pages/events.js';
import * as geofencesPage from './pages/geofences.js';
import * as liveMapPage from './pages/live-map.js';
import * as vehiclePage from './pages/vehicle.js';
import * as vehiclesPage from './pages/vehicles.js';

// Handles the browser tests and the curious read; nothing in it is secret.
window.fleetlineConsole = { map: null };

const ROUTES = [
  [/^#?\/?$/, liveMapPage, 'Map'],
  [/^#\/map$/, liveMapPage, 'Map'],
  [/^#\/vehicles$/, vehiclesPage, 'Vehicles'],
  [/^#\/vehicles\/([0-9a-fA-F-]{36})$/, vehiclePage, 'Vehicle'],
  [/^#\/events$/, eventsPage, 'Events'],
  [/^#\/geofences$/, geofencesPage, 'Geofences'],
];

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const liveState = document.getElementById('live-state');
let cleanup = null;

function route() {
  cleanup?.();
  cleanup = null;
  const hash = window.location.hash || '#/map';
  for (const [pattern, page, title] of ROUTES) {
    const match = hash.match(pattern);
    if (match) {
      document.title = `${title} · Fleetline`;
      nav.querySelectorAll('a').forEach((a) => {
        if (hash.startsWith(a.getAttribute('href'))) a.setAttribute('aria-current', 'page');
        else a.removeAttribute('aria-current');
      });
      cleanup = page.render(main, match.slice(1)) || null;
      main.focus({ preventScroll: true });
      return;
    }
  }
  replace(main, h('section', { class: 'page' }, h('h1', {}, 'Not found'), h('p', {}, h('a', { href: '#/map' }, 'Back to the map'))));
}

function showSignIn(message) {
  cleanup?.();
  cleanup = null;
  fleet.stop();
  document.body.classList.remove('signed-in');
  const button = h('button', { type: 'button', id: 'sign-in', class: 'primary' }, 'Sign in');
  button.addEventListener('click', () => auth.signIn(window.location.hash));
  replace(
    main,
    h(
      'section',
      { class: 'page sign-in-page' },
      h('h1', {}, 'Fleetline console'),
      message ? notice(message, 'error') : null,
      h('p', {}, 'Sign in with your fleet account to see your vehicles.'),
      button,
    ),
  );
  button.focus();
}

async function startSignedIn(returnTo) {
  document.body.classList.add('signed-in');
  if (returnTo) window.history.replaceState(null, '', returnTo);
  replace(main, notice('Loading the fleet…'));
  await fleet.start();
  window.addEventListener('hashchange', route);
  route();
}

async function start() {
  try {
    await auth.loadConfig();
  } catch (e) {
    replace(main, notice(e.message, 'error'));
    return;
  }
  auth.onSignedOut(() => showSignIn('Your session has ended. Please sign in again.'));
  document.getElementById('sign-out').addEventListener('click', () => {
    fleet.stop();
    auth.signOut();
  });
  fleet.onLiveState((state) => {
    liveState.textContent = state === 'connected' ? 'live' : state === 'reconnecting' ? 'reconnecting…' : '';
    liveState.dataset.state = state;
  });
  try {
    const returnTo = await auth.completeSignIn();
    if (returnTo !== null) {
      await startSignedIn(returnTo);
      return;
    }
    if (await auth.resumeSession()) {
      await startSignedIn('');
      return;
    }
    showSignIn();
  } catch (e) {
    console.error('Signing in failed', e?.stack || e);
    showSignIn(e.message);
  }
}

// An error nobody handled still tells the person something went wrong, instead of a blank page.
window.addEventListener('unhandledrejection', (event) => {
  console.error('Unhandled error', event.reason);
  main.append(notice(event.reason?.message || String(event.reason), 'error'));
});

start().catch((e) => {
  console.error('The console could not start', e);
  replace(main, notice(e.message, 'error'));
});
