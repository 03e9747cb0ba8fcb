// The insight choropleth: areas coloured by one published measure, fetched as GeoJSON.
// The page already shows the same figures as a table and the key, so without JavaScript
// (or if the fetch fails) nothing is lost; the map stays hidden. Its words come from the
// page's data attributes, translated with the page (data-words-*): no catalogue to fetch.
(function () {
  const printButton = document.querySelector("[data-print]");
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener("click", function () {
      window.print();
    });
  }

  const element = document.getElementById("insight-map");
  if (!element || !window.L) return;

  function styleOf(feature, focus) {
    const p = feature.properties;
    const focused = focus && p.code === focus;
    // An area made of LSOAs draws its outer edge separately (see outlines below), so the
    // LSOAs inside it are only faintly marked.
    const inner = Boolean(p.outline);
    return {
      color: inner ? "#ffffff" : focused ? "#212b32" : "#425563",
      weight: inner ? 0.5 : focused ? 4 : 1,
      opacity: 1,
      fillColor: p.colour || "#d8dde0",
      fillOpacity: p.withheld ? 1 : 0.85,
      className: p.withheld ? "linkwork-map__withheld" : "",
    };
  }

  const words = {
    biggestGap: element.dataset.wordsBiggestGap || "Biggest gap: %s",
    tiles: element.dataset.wordsTiles || "&copy; OpenStreetMap contributors",
  };

  function label(p) {
    const box = document.createElement("div");
    const name = document.createElement("strong");
    name.textContent = p.name;
    box.appendChild(name);
    box.appendChild(document.createElement("br"));
    box.appendChild(document.createTextNode(p.display));
    if (p.category) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(words.biggestGap.replace("%s", p.category)));
    }
    return box;
  }

  function draw(data) {
    if (!data.features.length) return;
    element.hidden = false;
    const focus = element.dataset.focus;
    const map = L.map(element, { attributionControl: true, scrollWheelZoom: false });
    map.attributionControl.setPrefix(false);
    if (element.dataset.tiles) {
      L.tileLayer(element.dataset.tiles, {
        maxZoom: 18,
        attribution: words.tiles,
      }).addTo(map);
    }
    map.attributionControl.addAttribution(data.attribution);
    let focused = null;
    const layer = L.geoJSON(data, {
      style: function (feature) {
        return styleOf(feature, focus);
      },
      onEachFeature: function (feature, shape) {
        shape.bindTooltip(label(feature.properties), { sticky: true });
        shape.on("click", function () {
          window.location.href = feature.properties.url;
        });
        if (focus && feature.properties.code === focus) focused = shape;
      },
    }).addTo(map);
    const outlines = data.features
      .filter(function (feature) {
        return feature.properties.outline;
      })
      .map(function (feature) {
        return {
          type: "Feature",
          properties: { focused: focus && feature.properties.code === focus },
          geometry: { type: "MultiLineString", coordinates: feature.properties.outline },
        };
      });
    L.geoJSON(outlines, {
      interactive: false,
      style: function (feature) {
        return {
          color: feature.properties.focused ? "#212b32" : "#425563",
          weight: feature.properties.focused ? 4 : 1.5,
        };
      },
    }).addTo(map);
    if (focused && !focused.feature.properties.outline) focused.bringToFront();
    const bounds = focused ? focused.getBounds() : layer.getBounds();
    const fit = function () {
      map.invalidateSize();
      map.fitBounds(bounds, { padding: focused ? [24, 24] : [12, 12] });
    };
    fit();
    // Paper is narrower than the screen: fit the area again when the page is printed.
    window.addEventListener("beforeprint", fit);
    window.addEventListener("afterprint", fit);
  }

  // The public pages carry the GeoJSON in the page; signed-in pages fetch it.
  const inline = element.dataset.inline && document.getElementById(element.dataset.inline);
  if (inline) {
    draw(JSON.parse(inline.textContent));
    return;
  }
  fetch(element.dataset.src, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  })
    .then(function (response) {
      return response.ok ? response.json() : Promise.reject(response.status);
    })
    .then(draw)
    .catch(function () {
      element.hidden = true;
    });
})();
