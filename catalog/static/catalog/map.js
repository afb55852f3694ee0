/* The catalog's map (/map/): draws the markers and areas the page embeds as JSON
   (#map-data). Without this script, or without tiles, the list under the map shows the same.
   Texts go in as text, never as HTML. No inline code or styles (CSP). */
(function () {
  "use strict";

  function text(tag, value, className) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    el.textContent = value;
    return el;
  }

  function popup(marker, labels) {
    var box = document.createElement("div");
    box.className = "map-popup";
    box.tabIndex = -1;
    box.appendChild(text("p", labels[marker.kind] || "", "map-popup-kind small mb-1"));
    box.appendChild(text("h3", marker.name, "h6 mb-1"));
    if (marker.address) { box.appendChild(text("p", marker.address, "small mb-1")); }
    if (marker.offers.length) {
      box.appendChild(text("p", labels.offers, "small fw-semibold mb-0"));
      var list = document.createElement("ul");
      list.className = "mb-1 ps-3";
      marker.offers.forEach(function (offer) {
        var item = document.createElement("li");
        var link = text("a", offer.title);
        link.href = offer.url;
        item.appendChild(link);
        list.appendChild(item);
      });
      box.appendChild(list);
    }
    if (marker.url) {
      var more = text("a", labels.more + ": " + marker.name);
      more.href = marker.url;
      box.appendChild(more);
    }
    return box;
  }

  // Whether the focus is in the map (a popup closed from the keyboard), not elsewhere on the
  // page (another marker's popup opened by a click must not pull the focus back).
  function focusInMap(element) {
    return element.contains(document.activeElement) || document.activeElement === document.body;
  }

  function icon(kind) {
    return L.divIcon({
      className: "map-marker map-marker-" + kind,
      iconSize: [24, 24],  // WCAG 2.5.8: a target of at least 24 by 24 px
      iconAnchor: [12, 12],
      popupAnchor: [0, -10]
    });
  }

  // A cluster is named by what it holds, not only by its count ("4"), and says what Enter
  // does; its look is markercluster's own (the same class names).
  function clusterIcon(label) {
    return function (cluster) {
      var n = cluster.getChildCount();
      var inner = document.createElement("div");
      var count = text("span", String(n));
      count.appendChild(text("span", " " + label, "visually-hidden"));
      inner.appendChild(count);
      return L.divIcon({
        html: inner,
        className: "marker-cluster marker-cluster-" + (n < 10 ? "small" : n < 100 ? "medium" : "large"),
        iconSize: L.point(40, 40)
      });
    };
  }

  function start() {
    var element = document.getElementById("map");
    var source = document.getElementById("map-data");
    if (!element || !source || typeof L === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var labels = {
      association: element.dataset.labelAssociation,
      place: element.dataset.labelPlace,
      school: element.dataset.labelSchool,
      more: element.dataset.labelMore,
      offers: element.dataset.labelOffers
    };
    element.textContent = "";
    element.classList.add("map-ready");
    var map = L.map(element, { scrollWheelZoom: false, maxZoom: 19 }).setView([56.03, 12.59], 11);
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, {
        maxZoom: 19,
        attribution: element.dataset.attribution
      }).addTo(map);
    }
    var offers = L.markerClusterGroup({
      showCoverageOnHover: false,
      iconCreateFunction: clusterIcon(element.dataset.labelClusterOffers)
    });
    var schools = L.markerClusterGroup({
      showCoverageOnHover: false,
      iconCreateFunction: clusterIcon(element.dataset.labelClusterSchools)
    });
    var bounds = [];
    data.markers.forEach(function (m) {
      var marker = L.marker([m.lat, m.lon], {
        icon: icon(m.kind),
        title: labels[m.kind] + ": " + m.name,
        keyboard: true
      });
      marker.bindPopup(popup(m, labels));
      // The keyboard follows the popup: Enter on a marker opens it and moves the focus in,
      // Esc closes it (Leaflet's own Esc works only while the map itself has the focus);
      // closed, the focus is back on the marker.
      marker.on("popupopen", function (event) {
        var el = event.popup.getElement();
        if (!el.dataset.escape) {
          el.dataset.escape = "1";
          el.addEventListener("keydown", function (e) {
            if (e.key === "Escape") { map.closePopup(); }
          });
        }
        var box = el.querySelector(".map-popup");
        if (box) { box.focus(); }
      });
      marker.on("popupclose", function () {
        var el = marker.getElement();
        if (el && focusInMap(element)) { el.focus(); }
      });
      marker.on("add", function () {
        var el = marker.getElement();
        if (el) {
          el.setAttribute("aria-label", labels[m.kind] + ": " + m.name);
          el.setAttribute("role", "button");
        }
      });
      (m.kind === "school" ? schools : offers).addLayer(marker);
      bounds.push([m.lat, m.lon]);
    });
    var overlays = {};
    overlays[labels.association + " / " + labels.place] = offers;
    overlays[labels.school] = schools;
    if (data.areas.length) {
      var areas = L.geoJSON({ type: "FeatureCollection", features: data.areas }, {
        style: function () { return { className: "map-area" }; },
        onEachFeature: function (feature, layer) {
          layer.bindPopup(text("strong", feature.properties.name));
        }
      });
      overlays[element.dataset.labelAreas] = areas;
      areas.eachLayer(function (layer) {
        var b = layer.getBounds();
        bounds.push(b.getSouthWest(), b.getNorthEast());
      });
    }
    // The first view at once, not animated: nothing moves under a first click (a slow
    // machine's test clicked a marker while the map was still zooming to it). The markers
    // come after it: added before, their clusters split in an animation at the new zoom.
    if (bounds.length) { map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15, animate: false }); }
    Object.keys(overlays).forEach(function (name) { overlays[name].addTo(map); });
    var layers = L.control.layers(null, overlays, { collapsed: element.clientWidth < 500 });
    layers.addTo(map);
    // Leaflet names its button "Layers" in English: the page's own words instead.
    var toggle = layers.getContainer().querySelector(".leaflet-control-layers-toggle");
    if (toggle && element.dataset.labelLayers) {
      toggle.title = element.dataset.labelLayers;
      toggle.setAttribute("aria-label", element.dataset.labelLayers);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
