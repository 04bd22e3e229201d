// Sluice pages' bearer token: kept in localStorage, sent with every /api/ request; shared by the dashboard and the
// charts page, so the operator enters it once for both.
'use strict';

window.SluiceAuth = (() => {
  const TOKEN_KEY = 'sluice.apiToken';
  const REFUSED = 'The server refused this token. Enter the current one.';

  class Unauthorized extends Error {}

  function storedToken() {
    try {
      return localStorage.getItem(TOKEN_KEY);
    } catch (e) {
      return null;
    }
  }

  function storeToken(token) {
    try {
      if (token === null) {
        localStorage.removeItem(TOKEN_KEY);
      } else {
        localStorage.setItem(TOKEN_KEY, token);
      }
    } catch (e) {
      // Storage disabled: the token lives as long as the page.
    }
  }

  /** GET with the token; null for 404 (the server has no such group or report), Unauthorized for 401. */
  async function get(path, token, accept) {
    const response = await fetch(path, {
      headers: { Authorization: `Bearer ${token}`, Accept: accept },
      cache: 'no-store',
      credentials: 'omit',
    });
    if (response.status === 401) {
      throw new Unauthorized();
    }
    if (response.status === 404) {
      return null;
    }
    if (!response.ok) {
      throw new Error(`${path} answered HTTP ${response.status}`);
    }
    return response;
  }

  /** GET a JSON document, as get(). */
  async function getJson(path, token) {
    const response = await get(path, token, 'application/json');
    return response === null ? null : response.json();
  }

  /** GET an image as a Blob, as get(). */
  async function getBlob(path, token) {
    const response = await get(path, token, 'image/png');
    return response === null ? null : response.blob();
  }

  function setConnection(page, state, text) {
    const line = page('connection');
    line.dataset.state = state;
    line.textContent = text;
  }

  /**
   * Runs a page's sign-in: the token form (data-testid login / token-form / token-input / token-message), the
   * sign-out button and the page's data (data-testid dashboard). With a stored or newly entered token it shows the
   * data and calls view.poll(token, ticket); without one, or after ticket.refused(), it calls view.clear() and shows
   * the form. ticket.current() is false once the poll belongs to an earlier sign-in: its answers must render nothing.
   */
  function start(page, view) {
    let session = 0;

    function showLogin(message) {
      session++;
      view.clear();
      page('dashboard').hidden = true;
      page('sign-out').hidden = true;
      setConnection(page, 'idle', '');
      const note = page('token-message');
      note.textContent = message || '';
      note.hidden = !message;
      page('login').hidden = false;
      page('token-input').focus();
    }

    function showData(token) {
      const mine = ++session;
      page('login').hidden = true;
      page('dashboard').hidden = false;
      page('sign-out').hidden = false;
      setConnection(page, 'connecting', 'Connecting…');
      view.poll(token, {
        current: () => mine === session,
        refused: () => {
          storeToken(null);
          showLogin(REFUSED);
        },
      });
    }

    page('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const input = page('token-input');
      const token = input.value.trim();
      input.value = '';
      if (!token) {
        showLogin('Enter the token.');
        return;
      }
      storeToken(token);
      showData(token);
    });
    page('sign-out').addEventListener('click', () => {
      storeToken(null);
      showLogin('');
    });
    const token = storedToken();
    if (token) {
      showData(token);
    } else {
      showLogin('');
    }
  }

  return { Unauthorized, getJson, getBlob, setConnection, start };
})();
