/* The association's position in its profile form: a marker to drag (or a click on the map)
   fills the latitude and longitude fields, and typing in them moves the marker. Without
   this script the two fields are the whole form. No inline code or styles (CSP). */
(function () {
  "use strict";

  function start() {
    var element = document.getElementById("position-map");
    if (!element || typeof L === "undefined") { return; }
    var lat = document.getElementById(element.dataset.latInput);
    var lon = document.getElementById(element.dataset.lonInput);
    if (!lat || !lon) { return; }
    element.hidden = false;
    document.getElementById("position-map-help").hidden = false;
    var known = isFinite(parseFloat(lat.value)) && isFinite(parseFloat(lon.value));
    var here = known ? [parseFloat(lat.value), parseFloat(lon.value)] : [56.0, 10.8];
    var map = L.map(element, { scrollWheelZoom: false, maxZoom: 19 }).setView(here, known ? 15 : 7);
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, { maxZoom: 19, attribution: element.dataset.attribution }).addTo(map);
    }
    var marker = L.marker(here, {
      draggable: true,
      keyboard: true,
      title: element.dataset.label,
      icon: L.divIcon({ className: "map-marker map-marker-association", iconSize: [24, 24], iconAnchor: [12, 12] })
    }).addTo(map);
    var el = marker.getElement();
    if (el) { el.setAttribute("aria-label", element.dataset.label); }

    function fill(point) {
      lat.value = point.lat.toFixed(6);
      lon.value = point.lng.toFixed(6);
    }
    marker.on("dragend", function () { fill(marker.getLatLng()); });
    map.on("click", function (event) { marker.setLatLng(event.latlng); fill(event.latlng); });
    function typed() {
      var a = parseFloat(lat.value), b = parseFloat(lon.value);
      if (isFinite(a) && isFinite(b)) { marker.setLatLng([a, b]); map.panTo([a, b]); }
    }
    lat.addEventListener("change", typed);
    lon.addEventListener("change", typed);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
