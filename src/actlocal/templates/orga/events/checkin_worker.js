// Service worker of one event's check-in page: keeps the page and its assets on the device,
// and keeps a check-in form sent while the network is down in the outbox (IndexedDB), from
// where the page sends it when the connection is back. Each check-in has its own client
// UUID, so sending it twice records it once.
"use strict";
var CONFIG = {{ config_json|safe }};
importScripts(CONFIG.store);
var CACHE = "actlocal-checkin-" + CONFIG.version;
var ASSETS = CONFIG.assets;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      return cache.addAll([CONFIG.page].concat(ASSETS));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("actlocal-checkin-") === 0 && name !== CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

// The page asks for a fresh copy of itself after each load online (a copy without the
// one-time messages the user has just seen).
self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "refresh-shell") {
    event.waitUntil(caches.open(CACHE).then(function (cache) {
      return fetch(CONFIG.page, { credentials: "same-origin", redirect: "manual" }).then(function (response) {
        if (response.ok && response.type === "basic") { return cache.put(CONFIG.page, response); }
      });
    }).catch(function () {}));
  }
});

function withTimeout(request, ms) {
  var controller = new AbortController();
  var timer = setTimeout(function () { controller.abort(); }, ms);
  return fetch(request, { signal: controller.signal }).finally(function () { clearTimeout(timer); });
}

function cachedPage() {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(CONFIG.page, { ignoreSearch: true });
  }).then(function (response) {
    return response || Response.error();
  });
}

function queueForm(request) {
  var store = self.ActLocalCheckinStore;
  return request.formData().then(function (form) {
    var item = {
      client_uuid: form.get("client_uuid") || store.uuid(),
      checked_at: new Date().toISOString(),
      method: "list",
      label: ""
    };
    if (form.get("walk_in")) {
      item.method = "walk-in";
      item.walk_in = {
        given_name: form.get("given_name") || "",
        family_name: form.get("family_name") || "",
        email: form.get("email") || ""
      };
      item.label = (item.walk_in.given_name + " " + item.walk_in.family_name).trim();
    } else if (form.get("rsvp")) {
      item.rsvp_id = parseInt(form.get("rsvp"), 10);
    } else if (form.get("code")) {
      item.method = "qr";
      item.code = form.get("code");
      item.label = item.code;
    } else {
      return false;
    }
    if (item.walk_in && !item.walk_in.given_name) { return false; }
    return store.open(CONFIG.slug).then(function (db) {
      var marked = item.rsvp_id ? store.get(db, "attendees", item.rsvp_id).then(function (a) {
        if (!a) { return; }
        item.label = a.name;
        a.pending = true;
        return store.put(db, "attendees", a);
      }) : Promise.resolve();
      return marked.then(function () { return store.put(db, "outbox", item); });
    }).then(function () { return true; });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (url.pathname === CONFIG.page && request.mode === "navigate") {
    if (request.method === "GET") {
      event.respondWith(withTimeout(request, 8000).catch(cachedPage));
    } else if (request.method === "POST") {
      var copy = request.clone();
      event.respondWith(withTimeout(request, 10000).catch(function () {
        return queueForm(copy).then(function (queued) {
          return Response.redirect(CONFIG.page + (queued ? "?queued=1" : ""), 303);
        });
      }));
    }
    return;
  }
  if (request.method === "GET" && ASSETS.indexOf(url.pathname) !== -1) {
    event.respondWith(caches.open(CACHE).then(function (cache) {
      return cache.match(request).then(function (hit) {
        var fresh = fetch(request).then(function (response) {
          if (response.ok) { cache.put(request, response.clone()); }
          return response;
        }).catch(function () { return hit || Response.error(); });
        return hit || fresh;
      });
    }));
  }
});
