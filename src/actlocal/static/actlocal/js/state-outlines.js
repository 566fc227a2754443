/* Offline base layer: US state outlines from the us-atlas package (our own static files).
   Drawn in a pane under the markers, so a map without tiles still shows where things are. */
(function () {
  "use strict";
  window.ActLocalOutlines = {
    addTo: function (map, url) {
      if (!url || typeof L === "undefined" || typeof topojson === "undefined") { return; }
      var pane = map.createPane("state-outlines");
      pane.style.zIndex = 250; // above tiles (200), below vectors and markers (400+)
      pane.style.pointerEvents = "none";
      var el = map.getContainer();
      fetch(url, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) { throw new Error(r.status); }
        return r.json();
      }).then(function (topo) {
        var states = topojson.feature(topo, topo.objects.states);
        L.geoJSON(states, {
          pane: "state-outlines",
          interactive: false,
          style: { color: "#94a3b8", weight: 1, fillColor: "#f8fafc", fillOpacity: 1 }
        }).addTo(map);
        el.dataset.outlines = String(states.features.length);
      }).catch(function () {
        el.dataset.outlines = "0"; // the map keeps working without the base layer
      });
    }
  };
})();
