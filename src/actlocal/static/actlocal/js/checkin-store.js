// IndexedDB for offline check-in: the attendee list kept on the device and the outbox of
// check-ins waiting to be sent. One database per event. Used by the page and the worker.
(function (scope) {
  "use strict";
  var VERSION = 1;

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function open(slug) {
    var req = scope.indexedDB.open("actlocal-checkin:" + slug, VERSION);
    req.onupgradeneeded = function () {
      var db = req.result;
      if (!db.objectStoreNames.contains("attendees")) { db.createObjectStore("attendees", { keyPath: "id" }); }
      if (!db.objectStoreNames.contains("outbox")) { db.createObjectStore("outbox", { keyPath: "client_uuid" }); }
      if (!db.objectStoreNames.contains("meta")) { db.createObjectStore("meta", { keyPath: "key" }); }
    };
    return request(req);
  }

  function done(tx) {
    return new Promise(function (resolve, reject) {
      tx.oncomplete = function () { resolve(); };
      tx.onerror = function () { reject(tx.error); };
      tx.onabort = function () { reject(tx.error); };
    });
  }

  function all(db, store) {
    return request(db.transaction(store).objectStore(store).getAll());
  }

  function get(db, store, key) {
    return request(db.transaction(store).objectStore(store).get(key));
  }

  function put(db, store, value) {
    var tx = db.transaction(store, "readwrite");
    tx.objectStore(store).put(value);
    return done(tx);
  }

  // Replace the attendee list, keeping the device's own pending marks.
  function replaceRoster(db, attendees, pendingIds) {
    var tx = db.transaction("attendees", "readwrite");
    var store = tx.objectStore("attendees");
    store.clear();
    attendees.forEach(function (a) {
      a.pending = pendingIds.indexOf(a.id) !== -1;
      store.put(a);
    });
    return done(tx);
  }

  function remove(db, store, keys) {
    var tx = db.transaction(store, "readwrite");
    keys.forEach(function (key) { tx.objectStore(store).delete(key); });
    return done(tx);
  }

  function uuid() {
    if (scope.crypto && scope.crypto.randomUUID) { return scope.crypto.randomUUID(); }
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = (Math.random() * 16) | 0;
      return (c === "x" ? r : (r & 0x3) | 0x8).toString(16);
    });
  }

  scope.ActLocalCheckinStore = {
    open: open, all: all, get: get, put: put, remove: remove,
    replaceRoster: replaceRoster, uuid: uuid
  };
})(typeof self !== "undefined" ? self : window);
