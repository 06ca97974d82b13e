/* congbo: the search page, on Pagefind. The index holds an accent-folded copy of each document
   (đ -> d), so the query is folded the same way: "cong doan" finds what "công đoàn" finds. A query
   that looks like a document number ("78/LĐLĐ", "78 LDLD", "số 291/QĐ-LĐLĐ") is also looked up in
   tim-kiem/so/<n>.json, and the documents with exactly that number come first.
   Every text from the indexes is inserted with textContent: it comes from untrusted PDFs. */
(function () {
  "use strict";
  var box = document.getElementById("cb-search");
  if (!box) { return; }
  var root = box.getAttribute("data-root") || "../";
  var form = box.querySelector("form");
  var field = {
    q: document.getElementById("cb-q"),
    loai: document.getElementById("cb-loai"),
    don_vi: document.getElementById("cb-don-vi"),
    nam: document.getElementById("cb-nam"),
    sap_xep: document.getElementById("cb-sap-xep")
  };
  var status = document.getElementById("cb-search-status");
  var list = document.getElementById("cb-results");
  var more = document.getElementById("cb-more");
  var PAGE_SIZE = 10;
  var PAGE = /^\/?van-ban\/[a-z0-9-]+\/$/;
  var pagefind = null;
  var run = 0;  // the latest search; older ones stop writing when a newer one starts
  var pending = [];  // results not shown yet
  var shown = {};

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }

  /* "78/LĐLĐ", "số 78 ldld" -> "78ldld"; null when the query does not start like a number. */
  function numberKey(query) {
    var folded = fold(query).trim().replace(/^so\b[:.]?\s*/, "");
    if (!/^\d+(?:[\s\/.\-]*[a-z]|$)/.test(folded)) { return null; }
    return folded.replace(/[^a-z0-9]+/g, "");
  }

  /* The index comes in bundles of whole years, the newest year first (issue 9: a new document
     rewrites only its year's bundle); the others are merged into the first. No web worker: on a
     page that only searches it would cost a second copy of Pagefind's code to download. */
  var indexes = JSON.parse(box.getAttribute("data-indexes") || "[]");

  function absolute(path) { return new URL(root + path, document.baseURI).href; }

  function load() {
    if (!pagefind) {
      pagefind = import(absolute(indexes[0].path + "pagefind.js")).then(function (pf) {
        return Promise.resolve(pf.options({ excerptLength: 26, noWorker: true })).then(function () {
          return Promise.all(indexes.slice(1).map(function (index) { return pf.mergeIndex(absolute(index.path)); }));
        }).then(function () { pf.init(); return pf; });
      });
    }
    return pagefind;
  }

  /* Merged results come ordered by score, and a sorted search scores each bundle's results by
     their rank in it, so "newest first" over several bundles is asked of each bundle's years in
     turn (only that bundle answers) and the answers are joined, newest bundle first. */
  function find(pf, term, options) {
    if (!options.sort || indexes.length < 2) { return pf.search(term, options); }
    var year = options.filters.nam;
    var asked = indexes.filter(function (index) { return !year || index.years.indexOf(Number(year)) >= 0; });
    return Promise.all(asked.map(function (index) {
      var filters = Object.assign({}, options.filters);
      if (!year) { filters.nam = { any: index.years.map(String) }; }
      return pf.search(term, { filters: filters, sort: options.sort });
    })).then(function (answers) {
      return { results: [].concat.apply([], answers.map(function (answer) { return answer.results; })) };
    });
  }

  function getJson(url) {
    return fetch(url).then(function (response) { return response.ok ? response.json() : {}; });
  }

  function node(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text !== undefined && text !== null) { el.textContent = text; }
    return el;
  }

  function href(url) {
    return PAGE.test(url) ? root + url.replace(/^\//, "") : null;
  }

  /* An excerpt in the original spelling: the index holds the folded text word for word, the
     record's meta `goc` the original, so a match at word i of one is word i of the other. */
  function excerpt(data) {
    var original = data.meta && data.meta.goc;
    var locations = (data.locations || []).slice().sort(function (a, b) { return a - b; });
    if (!original || !locations.length) { return null; }
    var words = original.split(" ");
    if (words.length !== data.content.split(" ").length) { return null; }
    var span = 26, best = 0, bestCount = 0;
    locations.forEach(function (at) {
      var start = Math.max(0, at - 5), count = 0;
      locations.forEach(function (other) { if (other >= start && other < start + span) { count++; } });
      if (count > bestCount) { bestCount = count; best = start; }
    });
    var marked = {};
    locations.forEach(function (at) { marked[at] = true; });
    var p = node("p", "cb-item-excerpt");
    if (best > 0) { p.appendChild(document.createTextNode("… ")); }
    for (var i = best; i < Math.min(words.length, best + span); i++) {
      if (i > best) { p.appendChild(document.createTextNode(" ")); }
      if (marked[i]) { p.appendChild(node("mark", null, words[i])); } else { p.appendChild(document.createTextNode(words[i])); }
    }
    if (best + span < words.length) { p.appendChild(document.createTextNode(" …")); }
    return p;
  }

  function item(entry, exact) {
    var li = node("li", "cb-item" + (entry.urgency ? " cb-item--urgent" : "") + (exact ? " cb-exact" : ""));
    var head = node("p", "cb-item-head");
    if (entry.urgency) { head.appendChild(node("span", "cb-urgent", entry.urgency.toUpperCase())); head.appendChild(document.createTextNode(" ")); }
    head.appendChild(node("span", "cb-type", entry.type || "Văn bản"));
    if (entry.number) { head.appendChild(document.createTextNode(" ")); head.appendChild(node("span", "cb-number", "số " + entry.number)); }
    if (entry.issued) { head.appendChild(document.createTextNode(" ")); head.appendChild(node("span", "cb-date", "ngày " + entry.issued)); }
    if (exact) { head.appendChild(document.createTextNode(" · đúng số văn bản đã gõ")); }
    li.appendChild(head);
    var title = node("p", "cb-item-title");
    var link = node("a", null, entry.subject || "(không rõ trích yếu)");
    var target = href(entry.url);
    if (target) { link.href = target; }
    title.appendChild(link);
    li.appendChild(title);
    if (entry.organ) { li.appendChild(node("p", "cb-item-meta", entry.organ)); }
    if (entry.excerpt) { li.appendChild(entry.excerpt); }
    return li;
  }

  function fromPagefind(data) {
    var meta = data.meta || {};
    return { url: data.url, number: meta.so, subject: meta.title, type: meta.loai, issued: meta.ngay,
             urgency: meta.khan, organ: meta.co_quan, excerpt: excerpt(data) };
  }

  function filters() {
    var chosen = {};
    ["loai", "don_vi", "nam"].forEach(function (name) { if (field[name].value) { chosen[name] = field[name].value; } });
    return chosen;
  }

  function remember(query, chosen) {
    var params = new URLSearchParams();
    if (query) { params.set("q", query); }
    Object.keys(chosen).forEach(function (name) { params.set(name, chosen[name]); });
    if (field.sap_xep.value) { params.set("sap_xep", field.sap_xep.value); }
    var search = params.toString();
    history.replaceState(null, "", search ? "?" + search : location.pathname);
  }

  function exactMatches(key, chosen) {
    if (!key) { return Promise.resolve([]); }
    var digits = key.match(/^\d+/)[0];
    var shard = String(parseInt(digits, 10) % 100);
    return getJson(root + "tim-kiem/so/" + shard + ".json").then(function (index) {
      var entries = [];
      Object.keys(index).forEach(function (candidate) {
        var same = candidate === key || (key === digits && new RegExp("^" + digits + "(?!\\d)").test(candidate));
        if (same) { entries = entries.concat(index[candidate]); }
      });
      return entries.filter(function (e) {
        return (!chosen.loai || e.type === chosen.loai) && (!chosen.nam || (e.issued || "").slice(-4) === chosen.nam);
      });
    }, function () { return []; });
  }

  /* Show the next results; resolves to how many of them were already shown (exact matches). */
  function showMore(id) {
    var batch = pending.splice(0, PAGE_SIZE);
    more.hidden = true;
    return Promise.all(batch.map(function (result) { return result.data(); })).then(function (datas) {
      var repeated = 0;
      if (id !== run) { return repeated; }
      datas.forEach(function (data) {
        var url = data.url.replace(/^\//, "");
        if (shown[url]) { repeated++; return; }
        shown[url] = true;
        list.appendChild(item(fromPagefind(data), false));
      });
      more.hidden = pending.length === 0;
      return repeated;
    });
  }

  function search() {
    var id = ++run;
    var query = field.q.value.trim();
    var chosen = filters();
    remember(query, chosen);
    pending = [];
    shown = {};
    if (!query && !Object.keys(chosen).length) {
      list.textContent = "";
      more.hidden = true;
      status.textContent = "";
      return Promise.resolve();
    }
    status.textContent = "Đang tìm…";
    var options = { filters: chosen };
    if (field.sap_xep.value === "moi" || !query) { options.sort = { ngay: "desc" }; }
    return Promise.all([exactMatches(numberKey(query), chosen), load()]).then(function (both) {
      var exact = both[0], pf = both[1];
      return find(pf, query ? fold(query) : null, options).then(function (found) {
        if (id !== run || !found) { return; }
        list.textContent = "";
        exact.forEach(function (entry) {
          shown[entry.url] = true;
          list.appendChild(item(entry, true));
        });
        pending = found.results.slice();
        var what = query ? " cho “" + query + "”" : "";
        if (!exact.length && !pending.length) {
          status.textContent = "Không tìm thấy văn bản nào" + what + ". Hãy thử ít từ hơn, hoặc bỏ bớt bộ lọc.";
          more.hidden = true;
          return;
        }
        return showMore(id).then(function (repeated) {
          /* The documents with the typed number are usually among the full-text results too:
             count them once (exactly when they are in the first page of results). */
          var total = exact.length + found.results.length - repeated;
          if (id === run) { status.textContent = "Tìm thấy " + total + " văn bản" + what + "."; }
        });
      });
    }).catch(function () {
      if (id === run) { status.textContent = "Chưa tìm được: không tải được chỉ mục tìm kiếm. Hãy thử lại."; }
    });
  }

  var timer = null;
  function soon() {
    clearTimeout(timer);
    timer = setTimeout(search, 300);
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); search(); });
  field.q.addEventListener("input", soon);
  ["loai", "don_vi", "nam", "sap_xep"].forEach(function (name) { field[name].addEventListener("change", search); });
  more.addEventListener("click", function () { showMore(run); });

  var params = new URLSearchParams(location.search);
  Object.keys(field).forEach(function (name) {
    var value = params.get(name);
    if (value !== null) { field[name].value = value; }
  });
  if (params.get("q") || params.get("loai") || params.get("don_vi") || params.get("nam")) { search(); }
})();
