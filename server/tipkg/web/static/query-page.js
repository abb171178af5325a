// The query page: YASGUI on our /sparql endpoint, with the competency queries as examples.
// A static file (never inline) so that the Content-Security-Policy can forbid inline script.
(function () {
  var examples = JSON.parse(document.getElementById("tipkg-examples").textContent);
  var endpoint = new URL("/sparql", window.location.href).href;
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: "tipkg-yasgui"
  });
  var tab = yasgui.getTab();
  try {
    if (tab && examples.length && !tab.getQuery().trim().length) { tab.setQuery(examples[0].query); }
  } catch (e) { /* the editor is not drawn yet */ }
  document.querySelectorAll("button.example").forEach(function (button) {
    button.addEventListener("click", function () {
      var example = examples[Number(button.dataset.example)];
      var added = yasgui.addTab(true, {
        name: example.title, yasqe: { value: example.query },
        requestConfig: { endpoint: endpoint, method: "POST" }
      });
      try { if (added && added.setQuery) { added.setQuery(example.query); } } catch (e) { }
      document.getElementById("yasgui").scrollIntoView();
    });
  });
}());
