/* Markers for the near-me map. Works without tiles: markers, popups and the list stay usable. */
(function () {
  "use strict";
  var el = document.getElementById("near-map");
  var data = document.getElementById("map-points");
  if (!el || !data || typeof L === "undefined") { return; }
  var points = JSON.parse(data.textContent);
  var center = el.dataset.lat ? [parseFloat(el.dataset.lat), parseFloat(el.dataset.lng)] : [39.5, -98.35];
  var map = L.map(el, { scrollWheelZoom: false }).setView(center, el.dataset.lat ? 11 : 4);
  if (el.dataset.tiles) {
    L.tileLayer(el.dataset.tiles, { attribution: el.dataset.attribution || "", maxZoom: 18 }).addTo(map);
  } else if (window.ActLocalOutlines) {
    window.ActLocalOutlines.addTo(map, el.dataset.outlines);
  }
  var icon = L.divIcon({ className: "marker-dot", iconSize: [14, 14] });
  var bounds = [];
  points.forEach(function (p) {
    var marker = L.marker([p.lat, p.lng], { icon: icon, title: p.title, alt: p.title, keyboard: true });
    var link = document.createElement("a");
    link.href = p.url;
    link.textContent = p.title;
    var box = document.createElement("div");
    box.appendChild(link);
    if (p.distance !== null) {
      var d = document.createElement("div");
      d.textContent = p.distance + " mi";
      box.appendChild(d);
    }
    marker.bindPopup(box).addTo(map);
    marker.getElement().dataset.event = p.id;
    bounds.push([p.lat, p.lng]);
  });
  if (el.dataset.lat) {
    L.marker(center, { icon: L.divIcon({ className: "marker-dot here", iconSize: [12, 12] }), title: el.dataset.here }).addTo(map);
    bounds.push(center);
  }
  if (bounds.length > 1) { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 13 }); }
  el.dataset.markers = String(points.length);

  var locate = document.getElementById("use-location");
  if (locate && navigator.geolocation) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      locate.disabled = true;
      navigator.geolocation.getCurrentPosition(function (pos) {
        var params = new URLSearchParams(window.location.search);
        params.set("lat", pos.coords.latitude.toFixed(4));
        params.set("lng", pos.coords.longitude.toFixed(4));
        params.delete("zip");
        window.location.search = params.toString();
      }, function () {
        locate.disabled = false;
        var status = document.getElementById("location-status");
        if (status) { status.textContent = status.dataset.denied; }
      });
    });
  }
})();
