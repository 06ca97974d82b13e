/* congbo: a listing's own filters, by type, year and receiving unit (issue 20).

   The page holds <div data-cb-filter="…/loc.json" data-page="N" hidden> before its list. loc.json
   (pipeline/publish/pages.py, listing_filters) names the choices over the whole listing and how many
   numbered pages it has. This script builds a plain form (labels and native selects: keyboard and
   screen readers work as everywhere), and when a choice is made it reads the listing's other pages
   (static files of the same site: no server needed), keeps the lines that match and shows them in
   place of the page's list, newest first. The choice is kept in the address (?loai=…&nam=…&don-vi=…)
   so that a filtered list can be bookmarked or sent. Without JavaScript nothing of this shows and the
   page lists every document, as before. */
(function () {
  "use strict";
  var slot = document.querySelector("[data-cb-filter]");
  if (!slot || !window.fetch || !window.URLSearchParams || !window.DOMParser) return;

  function listAfter(node) {
    for (var el = node.nextElementSibling; el; el = el.nextElementSibling) {
      if (el.matches("ol.cb-list")) return el;
    }
    return null;
  }

  var list = listAfter(slot);
  if (!list) return;
  var source = new URL(slot.getAttribute("data-cb-filter"), location.href);
  var current = Number(slot.getAttribute("data-page")) || 0;
  var own = Array.prototype.slice.call(list.children);
  var pager = document.querySelector(".cb-pager");
  var head = list.previousElementSibling && list.previousElementSibling.matches(".cb-register-head")
    ? list.previousElementSibling : null;
  var loaded = null; // Promise of every line of the listing, newest first
  var total = own.length;
  var form, status, selects = {};

  function pageUrls(pages) {
    // The first page holds the newest documents, then trang-N (newer) down to trang-1 (the oldest).
    var base = new URL(".", source).href;
    var urls = [base];
    for (var n = pages; n >= 1; n--) urls.push(base + "trang-" + n + "/");
    return urls;
  }

  function linesOf(text, url) {
    var page = new DOMParser().parseFromString(text, "text/html");
    var there = page.querySelector("[data-cb-filter]");
    var found = there ? listAfter(there) : null;
    if (!found) throw new Error("no list at " + url);
    var lines = Array.prototype.slice.call(found.children);
    lines.forEach(function (li) {
      // Links written relative to that page: made absolute before they move to this one.
      li.querySelectorAll("a[href]").forEach(function (a) { a.setAttribute("href", new URL(a.getAttribute("href"), url).href); });
    });
    return lines.map(function (li) { return document.importNode(li, true); });
  }

  function everyLine(pages) {
    if (loaded) return loaded;
    var urls = pageUrls(pages);
    var failed = 0;
    loaded = Promise.all(urls.map(function (url, index) {
      if (index === (current ? urls.length - current : 0)) return Promise.resolve(own);
      return fetch(url, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error(response.status + " " + url);
        return response.text();
      }).then(function (text) { return linesOf(text, url); }).catch(function () { failed += 1; return []; });
    })).then(function (parts) {
      var all = [].concat.apply([], parts);
      total = all.length;
      return { lines: all, failed: failed };
    });
    return loaded;
  }

  function chosen() {
    var values = {};
    Object.keys(selects).forEach(function (key) { if (selects[key].value) values[key] = selects[key].value; });
    return values;
  }

  function matches(li, values) {
    if (values.type && li.getAttribute("data-type") !== values.type) return false;
    if (values.year && li.getAttribute("data-year") !== values.year) return false;
    if (values.unit && (li.getAttribute("data-units") || "").indexOf(" " + values.unit + " ") < 0) return false;
    return true;
  }

  function remember(values, facets) {
    var params = new URLSearchParams(location.search);
    facets.forEach(function (f) {
      if (values[f.key]) params.set(f.param, values[f.key]); else params.delete(f.param);
    });
    var query = params.toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
  }

  function show(lines) {
    while (list.firstChild) list.removeChild(list.firstChild);
    lines.forEach(function (li) { list.appendChild(li); });
  }

  function apply(data) {
    var values = chosen();
    remember(values, data.facets);
    if (!Object.keys(values).length) {
      show(own);
      if (pager) pager.hidden = false;
      list.hidden = false;
      if (head) head.hidden = false;
      status.textContent = "";
      return;
    }
    status.textContent = data.pages ? "Đang đọc các trang của danh sách…" : "";
    everyLine(data.pages).then(function (all) {
      if (JSON.stringify(chosen()) !== JSON.stringify(values)) return; // a newer choice is on its way
      var kept = all.lines.filter(function (li) { return matches(li, values); });
      show(kept);
      list.hidden = !kept.length;
      if (head) head.hidden = !kept.length;
      if (pager) pager.hidden = true;
      var text = kept.length
        ? "Có " + kept.length + " văn bản phù hợp, trong " + all.lines.length + " văn bản của danh sách."
        : "Không có văn bản nào phù hợp trong " + all.lines.length + " văn bản của danh sách.";
      if (all.failed) text += " Không đọc được " + all.failed + " trang của danh sách: kết quả có thể thiếu.";
      status.textContent = text;
    });
  }

  function build(data) {
    form = document.createElement("form");
    form.className = "cb-filter__form";
    form.setAttribute("aria-label", "Lọc danh sách");
    var fieldset = document.createElement("fieldset");
    var legend = document.createElement("legend");
    legend.textContent = "Lọc danh sách";
    fieldset.appendChild(legend);
    var params = new URLSearchParams(location.search);
    data.facets.forEach(function (facet) {
      var field = document.createElement("div");
      field.className = "cb-filter__field";
      var label = document.createElement("label");
      label.htmlFor = "cb-loc-" + facet.param;
      label.textContent = facet.label;
      var select = document.createElement("select");
      select.id = "cb-loc-" + facet.param;
      select.name = facet.param;
      var any = document.createElement("option");
      any.value = "";
      any.textContent = "Tất cả";
      select.appendChild(any);
      facet.options.forEach(function (pair) {
        var option = document.createElement("option");
        option.value = pair[0];
        option.textContent = pair[1];
        select.appendChild(option);
      });
      var wanted = params.get(facet.param);
      if (wanted && facet.options.some(function (pair) { return pair[0] === wanted; })) select.value = wanted;
      select.addEventListener("change", function () { apply(data); });
      selects[facet.key] = select;
      field.appendChild(label);
      field.appendChild(select);
      fieldset.appendChild(field);
    });
    var reset = document.createElement("button");
    reset.type = "button";
    reset.className = "md-button cb-filter__reset";
    reset.textContent = "Bỏ lọc";
    reset.addEventListener("click", function () {
      Object.keys(selects).forEach(function (key) { selects[key].value = ""; });
      apply(data);
    });
    fieldset.appendChild(reset);
    form.appendChild(fieldset);
    form.addEventListener("submit", function (event) { event.preventDefault(); apply(data); });
    status = document.createElement("p");
    status.className = "cb-filter__status";
    status.setAttribute("role", "status");
    slot.appendChild(form);
    slot.appendChild(status);
    slot.hidden = false;
    if (Object.keys(chosen()).length) apply(data);
  }

  fetch(source.href, { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) { if (data && data.facets && data.facets.length) build(data); })
    .catch(function () { /* no filters: the page still lists every document */ });
})();
