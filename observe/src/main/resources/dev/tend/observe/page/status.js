// Tend's status page: keeps the page in step with the agent through server-sent events (/events). The server renders
// every machine's section (escaped there); this script only moves text with textContent and swaps sections the
// server rendered, so no value from a machine is ever parsed as markup here.
(function () {
  'use strict';
  var live = document.getElementById('live');
  var pending = {};

  function sections(name) {
    return Array.prototype.filter.call(document.querySelectorAll('[data-machine]'), function (el) {
      return el.getAttribute('data-machine') === name;
    });
  }

  function setLive(state, text) {
    document.body.setAttribute('data-live', state);
    live.textContent = text;
  }

  // Go's duration form in whole seconds: 1h2m3s, 4m0s, 5s.
  function goDuration(ms) {
    var s = Math.max(0, Math.floor(ms / 1000));
    var h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
    if (h > 0) { return h + 'h' + m + 'm' + r + 's'; }
    if (m > 0) { return m + 'm' + r + 's'; }
    return r + 's';
  }

  function tick() {
    var now = Date.now();
    document.querySelectorAll('[data-since]').forEach(function (el) {
      var t = Date.parse(el.getAttribute('data-since'));
      if (!isNaN(t)) { el.textContent = goDuration(now - t); }
    });
  }

  function markState(name, state, since) {
    sections(name).forEach(function (el) {
      el.querySelectorAll('.current-state').forEach(function (s) { s.textContent = state; });
      el.querySelectorAll('[data-since]').forEach(function (s) { s.setAttribute('data-since', since); });
      el.querySelectorAll('g[data-state]').forEach(function (g) {
        g.classList.toggle('current', g.getAttribute('data-state') === state);
      });
    });
    tick();
  }

  // Fetches a machine's section again (its watchers, data and transitions changed); at most one fetch in flight.
  function refresh(name) {
    if (pending[name]) { pending[name] = 'again'; return; }
    pending[name] = 'busy';
    fetch('machine?name=' + encodeURIComponent(name), { cache: 'no-store' }).then(function (r) {
      if (r.status === 404) { refreshAll(); return null; } // the machine is gone
      if (!r.ok) { throw new Error(r.status); }
      return r.text();
    }).then(function (html) {
      if (html === null) { return; }
      var holder = document.createElement('div');
      holder.innerHTML = html; // rendered and escaped by the server
      var fresh = holder.firstElementChild;
      sections(name).forEach(function (el) {
        if (el.tagName === 'SECTION' && fresh) { el.replaceWith(fresh.cloneNode(true)); }
      });
      tick();
    }).catch(function () { /* the next event or reconnect tries again */ }).finally(function () {
      var again = pending[name] === 'again';
      delete pending[name];
      if (again) { refresh(name); }
    });
  }

  // Fetches the whole page again and swaps its content in (machines added or removed, events missed while the
  // stream was down); the parsed copy runs no script.
  var reloading = false;
  function refreshAll() {
    if (reloading) { return; }
    reloading = true;
    fetch('./', { cache: 'no-store' }).then(function (r) {
      if (!r.ok) { throw new Error(r.status); }
      return r.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, 'text/html');
      ['main', '#count'].forEach(function (sel) {
        var now = document.querySelector(sel), then = fresh.querySelector(sel);
        if (now && then) { now.replaceWith(document.importNode(then, true)); }
      });
      tick();
    }).catch(function () { /* the next event or reconnect tries again */ }).finally(function () {
      reloading = false;
    });
  }

  var opened = false;
  // EventSource retries by itself after a dropped connection, but gives up for good on an answer that is not an
  // event stream (a 404 or 503 while a restarting agent has bound its port but not yet added the page's routes):
  // then a new one is made after a pause.
  function connect() {
    var source = new EventSource('events');
    source.addEventListener('open', function () {
      setLive('open', 'live');
      if (opened) { refreshAll(); } // events may have been missed while disconnected
      opened = true;
    });
    source.addEventListener('error', function () {
      setLive('reconnecting', 'reconnecting\u2026');
      if (source.readyState === EventSource.CLOSED) {
        setTimeout(connect, 2000);
      }
    });
    source.addEventListener('transition', function (e) {
      var t = JSON.parse(e.data);
      markState(t.machine, t.to_state, t.time);
      renew(t.machine);
    });
    source.addEventListener('watcher', function (e) {
      renew(JSON.parse(e.data).machine);
    });
  }
  // A machine not on the page (loaded since) brings the whole page again.
  function renew(name) {
    if (sections(name).length === 0) { refreshAll(); } else { refresh(name); }
  }
  connect();
  setInterval(tick, 1000);
  tick();
}());
