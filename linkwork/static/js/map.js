// Adds a Leaflet map beside the results list; the list itself needs no JavaScript.
(function () {
  const element = document.getElementById("map");
  if (!element || !window.L) return;
  const markers = JSON.parse(element.dataset.markers || "[]");
  if (!markers.length) {
    element.hidden = true;
    return;
  }
  const map = L.map(element);
  if (element.dataset.tiles) {
    L.tileLayer(element.dataset.tiles, {
      maxZoom: 18,
      attribution: "&copy; OpenStreetMap contributors",
    }).addTo(map);
  }
  const bounds = [];
  for (const marker of markers) {
    const link = document.createElement("a");
    link.href = marker.url;
    link.textContent = marker.name;
    L.marker([marker.lat, marker.lng], { title: marker.name, alt: marker.name })
      .addTo(map)
      .bindPopup(link);
    bounds.push([marker.lat, marker.lng]);
  }
  map.fitBounds(bounds, { padding: [24, 24], maxZoom: 15 });
})();
