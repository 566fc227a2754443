/* The network map (staff and public): server-side clusters below zoom 10, points above.
   Works without tiles: state outlines, clusters, markers and the list stay usable. */
(function () {
  "use strict";
  var el = document.getElementById("network-map");
  if (!el || typeof L === "undefined") { return; }
  var map = L.map(el).setView([39.5, -98.35], 4);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "", maxZoom: 18 }).addTo(map);
  }
  if (window.ActLocalOutlines) { window.ActLocalOutlines.addTo(map, el.dataset.outlines); }
  var layer = L.layerGroup().addTo(map);
  var status = document.getElementById("map-status");
  var base = el.dataset.url + "?" + (el.dataset.query ? el.dataset.query + "&" : "");
  var placeholder = "00000000-0000-0000-0000-000000000000";
  var playersLabel = el.dataset.playersLabel || "players";
  var request = 0;

  function card(p) {
    var box = document.createElement("div");
    var strong = document.createElement("strong");
    var link = document.createElement("a");
    link.href = el.dataset.card.replace(placeholder, p.id);
    link.textContent = p.name;
    strong.appendChild(link);
    box.appendChild(strong);
    var line = document.createElement("div");
    line.textContent = [p.kind_label || p.kind, p.place].filter(Boolean).join(" · ");
    box.appendChild(line);
    return box;
  }

  function load() {
    var b = map.getBounds();
    var mine = ++request;
    var url = base + "zoom=" + map.getZoom() + "&bbox=" +
      [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()].join(",");
    fetch(url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
      if (mine !== request) { return; } // a later move already asked again
      layer.clearLayers();
      var shown = 0;
      if (data.mode === "clusters") {
        data.clusters.forEach(function (c) {
          if (c.count === 1) { L.circleMarker([c.lat, c.lng], { radius: 6 }).addTo(layer); shown += 1; return; }
          var size = Math.min(56, 22 + Math.log(c.count) * 6);
          L.marker([c.lat, c.lng], {
            icon: L.divIcon({ className: "cluster-icon", html: String(c.count), iconSize: [size, size] }),
            keyboard: true, title: c.count + " " + playersLabel
          }).on("click", function () { map.setView([c.lat, c.lng], Math.min(map.getZoom() + 3, 18)); }).addTo(layer);
          shown += 1;
        });
        if (status) { status.textContent = data.total + " " + (el.dataset.onMapLabel || ""); }
      } else {
        data.points.forEach(function (p) {
          L.circleMarker([p.lat, p.lng], { radius: 7 }).bindPopup(card(p)).addTo(layer);
        });
        shown = data.points.length;
        if (status) { status.textContent = data.points.length + " " + (el.dataset.onMapLabel || ""); }
      }
      el.dataset.markers = String(shown);
    });
  }
  map.on("moveend", load);
  load();
})();
