// Check-in on a bad connection. Progressive enhancement of the server-rendered page: the
// attendee list is kept on the device (IndexedDB) and searched there; check-ins made while
// offline go to an outbox and are sent in a batch when the connection is back. Each one
// carries its own client UUID, so sending the same outbox twice records nothing new.
(function () {
  "use strict";
  var configNode = document.getElementById("checkin-offline-config");
  var box = document.getElementById("checkin-device");
  var store = window.ActLocalCheckinStore;
  if (!configNode || !box || !store || !window.indexedDB || !window.fetch || !window.Promise) { return; }
  var C = JSON.parse(configNode.textContent);
  var T = C.strings;
  var ROSTER_MAX_AGE_MS = 5 * 60 * 1000;
  var POLL_MS = 15000;
  var BATCH = 100;  // per request, so a long outbox never meets a server time-out
  var els = {
    network: document.getElementById("checkin-network"),
    pending: document.getElementById("checkin-pending"),
    sync: document.getElementById("checkin-sync"),
    refresh: document.getElementById("checkin-refresh"),
    roster: document.getElementById("checkin-roster"),
    search: document.getElementById("checkin-search"),
    results: document.getElementById("checkin-results"),
    live: document.getElementById("checkin-live"),
    problems: document.getElementById("checkin-problems"),
    forget: document.getElementById("checkin-forget"),
    checkedIn: document.querySelector("[data-testid=checked-in-count]"),
    expected: document.querySelector("[data-testid=expected-count]")
  };
  var state = {
    db: null, attendees: [], outbox: [], meta: null, problems: [],
    unreachable: false, loginNeeded: false, syncing: false
  };

  function fmt(text, values) {
    return text.replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }
  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function normalizeCode(value) {
    var code = String(value || "").trim().toUpperCase();
    return code.indexOf("ACTLOCAL:") === 0 ? code.slice(9) : code;
  }
  function offlineMode() { return !navigator.onLine || state.unreachable; }
  function announce(message) { els.live.textContent = message; }

  // --- drawing ------------------------------------------------------------------------

  function renderStatus() {
    var text = !navigator.onLine ? T.offline : (state.unreachable ? T.unreachable : T.online);
    if (state.loginNeeded) { text = T.login; }
    els.network.textContent = text;
    els.network.classList.toggle("offline", offlineMode() || state.loginNeeded);
    var count = state.outbox.length;
    els.pending.textContent = count === 0 ? T.nothing_pending
      : (count === 1 ? T.pending_one : fmt(T.pending_other, { count: count }));
    els.pending.setAttribute("data-count", String(count));
    els.sync.disabled = state.syncing;
    els.sync.setAttribute("aria-busy", state.syncing ? "true" : "false");
    if (state.meta) {
      var when = new Date(state.meta.fetched_at);
      els.roster.textContent = fmt(T.roster, {
        count: state.attendees.length,
        time: when.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" })
      });
    } else {
      els.roster.textContent = T.no_roster;
    }
    var list = els.problems.querySelector("ul");
    list.textContent = "";
    state.problems.forEach(function (text) {
      var li = document.createElement("li");
      li.textContent = text;
      list.appendChild(li);
    });
    els.problems.hidden = state.problems.length === 0;
  }

  function renderResults() {
    var query = fold(els.search.value.trim());
    els.results.textContent = "";
    if (!query) { return; }
    var code = normalizeCode(els.search.value);
    var matches = state.attendees.filter(function (a) {
      return fold(a.name).indexOf(query) !== -1 || (a.code && a.code.toUpperCase() === code);
    }).slice(0, 25);
    if (!matches.length) {
      var empty = document.createElement("li");
      empty.textContent = T.no_match;
      els.results.appendChild(empty);
      return;
    }
    matches.forEach(function (a) {
      var li = document.createElement("li");
      var label = document.createElement("span");
      label.textContent = a.name + " ";
      var extra = document.createElement("span");
      extra.className = "muted";
      extra.textContent = "(" + a.party_size + ") " + (a.code || "");
      label.appendChild(extra);
      li.appendChild(label);
      if (a.checked_in) {
        var done = document.createElement("span");
        done.textContent = "✓ " + T.checked_in;
        li.appendChild(done);
      } else if (a.pending) {
        var wait = document.createElement("span");
        wait.className = "pending";
        wait.textContent = T.waiting;
        li.appendChild(wait);
      } else {
        var button = document.createElement("button");
        button.type = "button";
        button.textContent = T.check_in;
        button.setAttribute("aria-label", T.check_in + ": " + a.name);
        button.addEventListener("click", function () { checkInAttendee(a, "list"); });
        li.appendChild(button);
      }
      els.results.appendChild(li);
    });
  }

  function setCounts(counts) {
    if (!counts) { return; }
    if (els.checkedIn) { els.checkedIn.textContent = String(counts.checked_in); }
    if (els.expected) { els.expected.textContent = String(counts.expected); }
  }

  // --- the device's data ----------------------------------------------------------------

  function load() {
    var db = state.db;
    return Promise.all([
      store.all(db, "attendees"), store.all(db, "outbox"),
      store.get(db, "meta", "roster"), store.get(db, "meta", "problems")
    ]).then(function (found) {
      state.attendees = found[0].sort(function (a, b) { return a.name.localeCompare(b.name); });
      state.outbox = found[1];
      state.meta = found[2] || null;
      state.problems = found[3] ? found[3].items : [];
      renderStatus();
      renderResults();
    });
  }

  function attendee(id) {
    for (var i = 0; i < state.attendees.length; i += 1) {
      if (state.attendees[i].id === id) { return state.attendees[i]; }
    }
    return null;
  }

  function byCode(code) {
    for (var i = 0; i < state.attendees.length; i += 1) {
      if (state.attendees[i].code && state.attendees[i].code.toUpperCase() === code) { return state.attendees[i]; }
    }
    return null;
  }

  function queue(item) {
    item.client_uuid = item.client_uuid || store.uuid();
    item.checked_at = new Date().toISOString();
    return store.put(state.db, "outbox", item).then(load).then(function () {
      if (!offlineMode()) { sync(); }
    });
  }

  function checkInAttendee(a, method, clientUuid) {
    if (a.checked_in) { announce(fmt(T.already, { name: a.name })); return Promise.resolve(); }
    if (a.pending) { announce(fmt(T.queued, { name: a.name })); return Promise.resolve(); }
    a.pending = true;
    announce(fmt(T.queued, { name: a.name }));
    return store.put(state.db, "attendees", a).then(function () {
      return queue({ rsvp_id: a.id, code: a.code, method: method, label: a.name, client_uuid: clientUuid });
    });
  }

  // --- the network ----------------------------------------------------------------------

  function request(url, options, timeoutMs) {
    var controller = window.AbortController ? new AbortController() : null;
    var opts = options || {};
    opts.credentials = "same-origin";
    opts.redirect = "manual";
    if (controller) { opts.signal = controller.signal; }
    var timer = setTimeout(function () { if (controller) { controller.abort(); } }, timeoutMs || 15000);
    return fetch(url, opts).then(function (response) {
      clearTimeout(timer);
      state.unreachable = false;
      if (response.type === "opaqueredirect" || response.status === 403 || response.status === 404) {
        state.loginNeeded = true;
        renderStatus();
        throw new Error("login");
      }
      state.loginNeeded = false;
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }, function (error) {
      clearTimeout(timer);
      state.unreachable = true;
      renderStatus();
      throw error;
    });
  }

  function refreshRoster(force) {
    if (!navigator.onLine) { return Promise.resolve(); }
    if (!force && state.meta && Date.now() - Date.parse(state.meta.fetched_at) < ROSTER_MAX_AGE_MS) {
      return Promise.resolve();
    }
    return request(C.urls.roster, {}, 30000).then(function (data) {
      var pendingIds = state.outbox.map(function (item) { return item.rsvp_id; });
      return store.replaceRoster(state.db, data.attendees, pendingIds).then(function () {
        return store.put(state.db, "meta", { key: "roster", fetched_at: data.fetched_at });
      }).then(function () { setCounts(data.counts); return load(); });
    }).catch(function () { renderStatus(); });
  }

  function refreshCounts() {
    return request(C.urls.counts, {}, 10000).then(function (data) {
      setCounts(data.counts);
      renderStatus();
      return data.csrf_token;
    });
  }

  function sync() {
    if (state.syncing || !navigator.onLine) { return Promise.resolve(); }
    state.syncing = true;
    renderStatus();
    var items;
    var applied = false;
    return store.all(state.db, "outbox").then(function (found) {
      items = found.slice(0, BATCH);
      return refreshCounts();
    }).then(function (token) {
      if (!items.length) { return null; }
      els.network.textContent = T.syncing;
      var body = items.map(function (item) {
        return {
          client_uuid: item.client_uuid, rsvp_id: item.rsvp_id, code: item.code,
          checked_at: item.checked_at, method: item.method, walk_in: item.walk_in
        };
      });
      return request(C.urls.sync, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token },
        body: JSON.stringify({ check_ins: body })
      }, 30000).then(function (data) { applied = true; return applyResults(items, data); });
    }).catch(function () {
      if (items && items.length && !state.unreachable && !state.loginNeeded) { announce(T.sync_failed); }
      return null;
    }).then(function () {
      state.syncing = false;
      return load();
    }).then(function () {
      var sent = (items || []).map(function (item) { return item.client_uuid; });
      var more = state.outbox.some(function (item) { return sent.indexOf(item.client_uuid) === -1; });
      if (applied && more && !offlineMode() && !state.loginNeeded) { setTimeout(sync, 0); }
    });
  }

  function applyResults(items, data) {
    var results = {};
    data.results.forEach(function (result) { results[result.client_uuid] = result; });
    var doneIds = [];
    var updates = [];
    var spoken = [];
    var problems = state.problems.slice();
    items.forEach(function (item) {
      var result = results[item.client_uuid];
      if (!result) { return; }
      doneIds.push(item.client_uuid);
      spoken.push(result.message);
      if (result.rsvp) {
        updates.push({
          id: result.rsvp.id, name: result.rsvp.name, code: result.rsvp.code,
          party_size: result.rsvp.party_size, checked_in: result.rsvp.checked_in, pending: false
        });
      } else if (item.rsvp_id && attendee(item.rsvp_id)) {
        var a = attendee(item.rsvp_id);
        a.pending = false;
        updates.push(a);
      }
      if (result.status === "unknown" || result.status === "error") {
        problems.push((item.label || item.code || "") + ": " + result.message);
      }
    });
    var db = state.db;
    return Promise.all(updates.map(function (a) { return store.put(db, "attendees", a); }))
      .then(function () { return store.remove(db, "outbox", doneIds); })
      .then(function () { return store.put(db, "meta", { key: "problems", items: problems.slice(-50) }); })
      .then(function () {
        setCounts(data.counts);
        announce(spoken.join(" "));
      });
  }

  // Personal data should not stay on a shared phone after the event.
  function forget() {
    if (state.outbox.length) {
      announce(fmt(T.forget_pending, { count: state.outbox.length }));
      return Promise.resolve();
    }
    return store.remove(state.db, "meta", ["roster", "problems"]).then(function () {
      var ids = state.attendees.map(function (a) { return a.id; });
      return store.remove(state.db, "attendees", ids);
    }).then(load).then(function () { announce(T.forgotten); });
  }

  // --- the server-rendered forms, kept on the device while offline ------------------------

  function freshUuid(form) {
    var field = form.querySelector("input[name=client_uuid]");
    var value = field && field.value ? field.value : store.uuid();
    if (field) { field.value = store.uuid(); }
    return value;
  }

  function enhanceForms() {
    var codeInput = document.getElementById("id_code");
    if (codeInput && codeInput.form) {
      codeInput.form.addEventListener("submit", function (event) {
        if (!offlineMode()) { return; }
        event.preventDefault();
        var code = normalizeCode(codeInput.value);
        if (!code) { return; }
        var clientUuid = freshUuid(codeInput.form);
        codeInput.value = "";
        var a = byCode(code);
        if (a) { checkInAttendee(a, "qr", clientUuid); return; }
        announce(fmt(T.queued_code, { code: code }));
        queue({ code: code, method: "qr", label: code, client_uuid: clientUuid });
      });
    }
    var walkIn = document.querySelector("form input[name=walk_in]");
    if (walkIn && walkIn.form) {
      var form = walkIn.form;
      form.addEventListener("submit", function (event) {
        if (!offlineMode()) { return; }
        event.preventDefault();
        var given = form.querySelector("[name=given_name]");
        var family = form.querySelector("[name=family_name]");
        var email = form.querySelector("[name=email]");
        if (!given.value.trim()) { announce(T.need_name); given.focus(); return; }
        var fields = {
          given_name: given.value.trim(),
          family_name: family ? family.value.trim() : "",
          email: email ? email.value.trim() : ""
        };
        var name = (fields.given_name + " " + fields.family_name).trim();
        var clientUuid = freshUuid(form);
        given.value = "";
        if (family) { family.value = ""; }
        if (email) { email.value = ""; }
        announce(fmt(T.queued_walk_in, { name: name }));
        queue({ walk_in: fields, method: "walk-in", label: name, client_uuid: clientUuid });
      });
    }
    var searchForm = document.querySelector("form[role=search]");
    if (searchForm) {
      searchForm.addEventListener("submit", function (event) {
        if (!offlineMode()) { return; }
        event.preventDefault();
        els.search.value = searchForm.querySelector("[name=q]").value;
        renderResults();
        els.search.focus();
      });
    }
    document.querySelectorAll("form input[name=rsvp]").forEach(function (field) {
      field.form.addEventListener("submit", function (event) {
        if (!offlineMode()) { return; }
        event.preventDefault();
        var id = parseInt(field.value, 10);
        var clientUuid = freshUuid(field.form);
        var a = attendee(id);
        if (a) { checkInAttendee(a, "list", clientUuid); return; }
        announce(T.queued_form);
        queue({ rsvp_id: id, method: "list", label: "#" + id, client_uuid: clientUuid });
      });
    });
  }

  // --- start ------------------------------------------------------------------------------

  function registerWorker() {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.register(C.urls.worker, { scope: C.urls.page }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function (registration) {
      if (navigator.onLine && registration.active) {
        registration.active.postMessage({ type: "refresh-shell" });
      }
    }).catch(function () { /* the page still works online and with the device's list */ });
  }

  store.open(C.slug).then(function (db) {
    state.db = db;
    box.hidden = false;
    enhanceForms();
    els.search.addEventListener("input", renderResults);
    els.sync.addEventListener("click", function () { sync(); });
    els.refresh.addEventListener("click", function () { refreshRoster(true); });
    window.addEventListener("online", function () { state.unreachable = false; renderStatus(); sync(); });
    window.addEventListener("offline", renderStatus);
    setInterval(function () {
      if (document.visibilityState === "visible" && navigator.onLine) { sync(); }
    }, POLL_MS);
    els.forget.addEventListener("click", forget);
    if (/[?&]queued=1/.test(window.location.search)) { announce(T.queued_form); }
    return load().then(function () {
      // A search sent while offline got the kept copy of the page: answer it from the device.
      var query = new URLSearchParams(window.location.search).get("q");
      if (query && !navigator.onLine) { els.search.value = query; renderResults(); }
    });
  }).then(function () {
    return refreshRoster(false);
  }).then(function () {
    return sync();
  }).catch(function () {
    box.hidden = true;  // no IndexedDB here (private browsing): the server-rendered page remains
  });
  registerWorker();
})();
