// The query page: YASGUI on our /sparql endpoint, with the competency queries as examples.
// A static file (never inline) so that the Content-Security-Policy can forbid inline script.
(function () {
  var examples = JSON.parse(document.getElementById("tipkg-examples").textContent);
  var element = document.getElementById("yasgui");
  var base = element.dataset.base || "https://w3id.org/tipkg/";
  var endpoint = new URL("/sparql", window.location.href).href;
  var first = examples.length ? examples[0].query : "";
  // YASGUI's own default query ("SELECT * WHERE { ?sub ?pred ?obj } LIMIT 10"), which a
  // first visit would otherwise show
  var stock = /^\s*PREFIX rdf:[\s\S]*SELECT \* WHERE \{\s*\?sub \?pred \?obj \.?\s*\}\s*LIMIT 10\s*$/;
  if (window.Yasgui && Yasgui.Yasqe && Yasgui.Yasqe.defaults) {
    Yasgui.Yasqe.defaults.value = first;
  }
  var yasgui = new Yasgui(element, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: true,
    persistenceId: "tipkg-yasgui",
    yasqe: { value: first }
  });
  var tab = yasgui.getTab();
  try {
    var current = tab ? tab.getQuery() : "";
    if (tab && first && (!current.trim().length || stock.test(current))) { tab.setQuery(first); }
  } catch (e) { /* the editor is not drawn yet */ }
  // IRIs of this dataset open their page on this server (/doc/...), not on w3id.org
  function local(href) {
    if (href && href.indexOf(base + "id/") === 0) { return "/doc/" + href.slice((base + "id/").length); }
    if (href && href.indexOf(base + "def") === 0) { return "/def" + href.slice((base + "def").length); }
    return null;
  }
  function rewrite(root) {
    root.querySelectorAll("a[href]").forEach(function (a) {
      var target = local(a.getAttribute("href"));
      if (target) { a.setAttribute("href", target); a.removeAttribute("target"); }
    });
  }
  new MutationObserver(function () { rewrite(element); })
    .observe(element, { childList: true, subtree: true });
  element.addEventListener("click", function (event) {
    var a = event.target.closest ? event.target.closest("a[href]") : null;
    var target = a && local(a.getAttribute("href"));
    if (target) { event.preventDefault(); window.location.assign(target); }
  }, true);
  document.querySelectorAll("button.example").forEach(function (button) {
    button.addEventListener("click", function () {
      var example = examples[Number(button.dataset.example)];
      var added = yasgui.addTab(true, {
        name: example.title, yasqe: { value: example.query },
        requestConfig: { endpoint: endpoint, method: "POST" }
      });
      try { if (added && added.setQuery) { added.setQuery(example.query); } } catch (e) { }
      element.scrollIntoView();
    });
  });
}());
