/* congbo: the search page, on Pagefind. The index holds an accent-folded copy of each document
   (đ -> d), so the query is folded the same way: "cong doan" finds what "công đoàn" finds. A query
   that looks like a document number (digits, then the notation: "số" and "/" optional) is also looked up in
   tim-kiem/so/<n>.json, and the documents with exactly that number come first; a query written as a
   number (digits, "/" and the notation, or "số" and digits) that no document bears is answered plainly: no document has it.
   Pagefind matches every word of a query as the start of a word ("ke" finds "kem", "ket"): a word
   followed by a space, or any word once the visitor presses Enter, must match a whole word (a search
   for each word in quotes says which documents have it), and documents holding the words as one
   phrase come first.
   The index comes in bundles of whole years, the newest year first (issue 9): its matches are shown
   as soon as they are found, then the bundles of earlier years are loaded. Once every bundle has
   answered, a search by relevance is shown again in the order of the whole search (Pagefind ranks
   the results of merged bundles together by score), so that an exact match of an earlier year comes
   above a weak match of the newest; this happens once, and only if the visitor has not yet taken
   hold of the list (pressed on it, moved focus into it, asked for more): then what is shown stays
   where it is and the rest follows. "Newest first" needs no second order: the newest bundle's
   results are already first.
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
  var run = 0;  // the latest search; older ones stop writing when a newer one starts
  var pending = [];  // results not shown yet
  var shown = {};  // addresses shown
  var taken = {};  // Pagefind results shown or being shown, by id
  var repeated = 0;  // results of the current search skipped as already shown (exact number matches)
  var held = false;  // the visitor has taken hold of the current search's list: it no longer moves

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }

  /* A number with its notation, with or without "số", accents, "/" or spaces -> its digits and letters,
     accent-folded and run together; null when the query does not start like a number. No example
     number is written here: the theme ships with every portal and must not name a document (issue 15). */
  /* A query that is plainly written as a number with its notation: digits then "/" or "-"
     (digits, a slash, letters), digits then the notation in capitals, or "số" before the digits. Only
     such a query is answered "no document has this number" when none has it: "2026 ke hoach" is a
     search in the text. */
  function writtenAsNumber(query) {
    var text = query.trim();
    if (/^s[ốoô]\s*[:.]?\s*\d/i.test(text)) { return /^s[ốoô]\s*[:.]?\s*\d+\s*[\/.\-\s]\s*[^\s\d]/i.test(text); }
    return /^\d+\s*[\/\-]\s*\S/.test(text) || /^\d+(?:[\s\/.\-]+[A-ZĐ]{2,})+$/.test(text);
  }

  function numberKey(query) {
    var folded = fold(query).trim().replace(/^so\b[:.]?\s*/, "");
    if (!/^\d+(?:[\s\/.\-]*[a-z]|$)/.test(folded)) { return null; }
    return folded.replace(/[^a-z0-9]+/g, "");
  }

  /* The bundles, newest first: [{path, years}]. Pagefind is loaded from the first (the newest
     year); the others are merged into it when a search needs them. No web worker: on a page that
     only searches it would cost a second copy of Pagefind's code to download. */
  var indexes = JSON.parse(box.getAttribute("data-indexes") || "[]");
  var pagefind = null;
  var merged = {};  // path -> promise of the bundle merged into Pagefind

  function absolute(path) { return new URL(root + path, document.baseURI).href; }

  function load() {
    if (!pagefind) {
      pagefind = import(absolute(indexes[0].path + "pagefind.js")).then(function (pf) {
        return Promise.resolve(pf.options({ excerptLength: 26, noWorker: true })).then(function () {
          return Promise.resolve(pf.init());
        }).then(function () { return pf; });
      });
      pagefind.catch(function () { pagefind = null; });
    }
    return pagefind;
  }

  function loaded(index) { return index === indexes[0] || !!merged[index.path]; }

  /* Pagefind with these bundles (and those merged before) in it. */
  function withBundles(bundles) {
    var current = load();
    return current.then(function (pf) {
      return Promise.all(bundles.filter(function (index) { return index !== indexes[0]; }).map(function (index) {
        if (!merged[index.path]) {
          merged[index.path] = Promise.resolve(pf.mergeIndex(absolute(index.path)));
          /* A bundle that failed to load stays in Pagefind and would hold up every later search:
             start again from nothing at the next search. */
          merged[index.path].catch(function () {
            if (pagefind === current) { pagefind = null; merged = {}; Promise.resolve(pf.destroy()).catch(function () {}); }
          });
        }
        return merged[index.path];
      })).then(function () { return pf; });
    });
  }

  function yearsOf(bundles) {
    return [].concat.apply([], bundles.map(function (index) { return index.years; }));
  }

  /* "năm 2024", "các năm 2016–2024", "các năm 2025, 2016–2018" */
  function yearsText(bundles) {
    var years = yearsOf(bundles).sort(function (a, b) { return b - a; });
    var runs = [];
    years.forEach(function (year) {
      var last = runs[runs.length - 1];
      if (last && last[0] === year + 1) { last[0] = year; } else { runs.push([year, year]); }
    });
    var text = runs.map(function (run) { return run[0] === run[1] ? String(run[0]) : run[0] + "–" + run[1]; });
    return (years.length === 1 ? "năm " : "các năm ") + text.join(", ");
  }

  /* The results of these bundles alone (a search covers every bundle merged so far: a filter on
     their years keeps the others out). Merged results come ordered by score, and a sorted search
     scores each bundle's results by their rank in it, so "newest first" is asked of each bundle in
     turn and the answers are joined, newest bundle first. */
  function find(pf, term, options, bundles, words) {
    return findRanked(pf, term, options, bundles).then(function (found) {
      if (!words) { return found; }
      var filters = options.filters;
      /* One search a word: Pagefind reads several quoted words as one phrase. */
      return Promise.all(words.exact.map(function (word) { return pf.search(word, { filters: filters }); }).concat([
        words.phrase ? pf.search(words.phrase, { filters: filters }) : Promise.resolve({ results: [] })
      ])).then(function (answers) {
        var phrase = ids(answers.pop().results);
        var wholes = answers.map(function (answer) { return ids(answer.results); });
        var kept = found.results.filter(function (result) {
          return wholes.every(function (whole) { return whole[result.id]; });
        });
        if (!options.sort) {
          kept = kept.filter(function (result) { return phrase[result.id]; })
            .concat(kept.filter(function (result) { return !phrase[result.id]; }));
        }
        return { results: kept };
      });
    });
  }

  function ids(results) {
    var found = {};
    results.forEach(function (result) { found[result.id] = true; });
    return found;
  }

  /* The words of a folded query that must match whole words, each as a Pagefind search in quotes,
     and the query as one quoted phrase; null when no word needs it. `live`: the visitor is still typing, and
     the last word (not followed by a space) may be the start of a word. */
  function wholeWords(term, live) {
    if (!term) { return null; }
    var tokens = term.split(/\s+/).filter(Boolean);
    var complete = live && !/\s$/.test(term) ? tokens.slice(0, -1) : tokens;
    var exact = complete.filter(function (token) { return /^[a-z]+$/.test(token); });
    if (!exact.length) { return null; }
    var plain = tokens.every(function (token) { return /^[a-z0-9]+$/.test(token); });
    return {
      exact: exact.map(function (token) { return "\"" + token + "\""; }),
      phrase: tokens.length > 1 && plain && complete.length === tokens.length ? "\"" + tokens.join(" ") + "\"" : null
    };
  }

  /* Whether a word of a record (folded, with its punctuation) is one the query asked for; null when
     any word of the query is not a plain word (numbers: Pagefind's own matches are kept). */
  function meaning(term, live) {
    if (!term) { return null; }
    var tokens = term.split(/\s+/).filter(Boolean);
    if (!tokens.length || tokens.some(function (token) { return !/^[a-z]+$/.test(token); })) { return null; }
    var open = live && !/\s$/.test(term) ? tokens[tokens.length - 1] : null;
    return function (word) {
      var bare = word.toLowerCase().replace(/[^a-z0-9]+/g, "");
      return tokens.indexOf(bare) >= 0 || (open !== null && bare.indexOf(open) === 0);
    };
  }
  var meant = null;  // the current search's `meaning`

  function findRanked(pf, term, options, bundles) {
    var year = options.filters.nam;
    function restricted(those) {
      var filters = Object.assign({}, options.filters);
      var others = indexes.filter(function (index) { return loaded(index) && those.indexOf(index) < 0; });
      if (!year && others.length) { filters.nam = { any: yearsOf(those).map(String) }; }
      return filters;
    }
    if (!options.sort) { return pf.search(term, { filters: restricted(bundles) }); }
    return Promise.all(bundles.map(function (index) {
      return pf.search(term, { filters: restricted([index]), sort: options.sort });
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

  /* What folding took from each letter, as the build wrote it in the record's meta `dau`
     (pipeline/search.py, `marks`): per word, one code per letter up to the last one changed. */
  var VARIANTS = { a: "àáảãạăằắẳẵặâầấẩẫậ", e: "èéẻẽẹêềếểễệ", i: "ìíỉĩị", o: "òóỏõọôồốổỗộơờớởỡợ",
                   u: "ùúủũụưừứửữự", y: "ỳýỷỹỵ", d: "đ" };
  var CODES = "-!$%()+,./:;=?@[]`";

  /* A count the build wrote with CODES, digit d as CODES[d], so that no search finds it (search.py,
     `count_code`); 0 when it is not one. */
  function count(code) {
    var n = 0;
    for (var i = 0; code && i < code.length; i++) {
      var digit = CODES.indexOf(code[i]);
      if (digit < 0 || digit > 9) { return 0; }
      n = n * 10 + digit;
    }
    return n;
  }

  /* A folded word back in the document's spelling: "doan" with "!-!" -> "đoàn". */
  function restore(word, code) {
    var letters = Array.from(word), at = 0;
    for (var i = 0; i < letters.length && at < code.length; i++) {
      if (code[at] === "~") {
        var hex = "";
        for (var k = 1; k <= 6; k++) { hex += CODES.indexOf(code[at + k]).toString(16); }
        letters[i] = String.fromCodePoint(parseInt(hex, 16));
        at += 7;
        continue;
      }
      var upper = code[at] === "^";
      if (upper) { at++; }
      var variant = CODES.indexOf(code[at++]);
      var letter = variant > 0 && VARIANTS[letters[i]] ? VARIANTS[letters[i]].charAt(variant - 1) : letters[i];
      letters[i] = upper ? letter.toUpperCase() : letter;
    }
    return letters.join("");
  }

  /* An excerpt in the original spelling: the index holds the folded text, word i of which is
     word i of the original. */
  function excerpt(data) {
    var dau = data.meta && data.meta.dau;
    var locations = (data.locations || []).slice().sort(function (a, b) { return a - b; });
    var words = data.content.split(" "), codes = (dau || "").split(" ");
    /* Pagefind reports the words it matched as prefixes too ("kem" for "ke"): only the words the
       visitor meant are marked. */
    if (meant) { locations = locations.filter(function (at) { return meant(words[at] || ""); }); }
    /* The record starts with its number, subject, signer and date, which the card shows already:
       the excerpt comes from the body when the body holds as many of the query's words. */
    var body = count(data.meta && data.meta.than);
    if (!dau || !locations.length) { return null; }
    if (words.length !== codes.length) { return null; }
    /* The window with the most different words of the query, then the most matches: "công nhân"
       shows where both words stand, not a list of "Công đoàn". */
    var span = 26, best = 0, bestScore = 0;
    locations.forEach(function (at) {
      var start = Math.max(at < body ? 0 : body, at - 5), count = 0, different = {};
      locations.forEach(function (other) {
        if (other >= start && other < start + span) {
          count++;
          different[(words[other] || "").toLowerCase().replace(/[^a-z0-9]+/g, "")] = true;
        }
      });
      var score = Object.keys(different).length * 1000 + (start >= body ? 500 : 0) + count;
      if (score > bestScore) { bestScore = score; best = start; }
    });
    var marked = {};
    locations.forEach(function (at) { marked[at] = true; });
    var p = node("p", "cb-item-excerpt");
    if (best > 0) { p.appendChild(document.createTextNode("… ")); }
    for (var i = best; i < Math.min(words.length, best + span); i++) {
      var word = restore(words[i], codes[i]);
      if (i > best) { p.appendChild(document.createTextNode(" ")); }
      if (marked[i]) { p.appendChild(node("mark", null, word)); } else { p.appendChild(document.createTextNode(word)); }
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

  /* A meta field a result shows, in the document's spelling: the build folds it as the content (so
     that a search matches it as it matches the content, đ included), and writes what folding took
     away beside it, in `dau_<name>`. */
  function spelled(meta, name) {
    var text = meta[name];
    if (!text) { return text; }
    var words = text.split(" "), codes = (meta["dau_" + name] || "").split(" ");
    if (words.length !== codes.length) { return text; }
    return words.map(function (word, i) { return restore(word, codes[i]); }).join(" ");
  }

  function fromPagefind(data) {
    var meta = data.meta || {};
    return { url: data.url, number: spelled(meta, "so"), subject: spelled(meta, "title"), type: spelled(meta, "loai"),
             issued: meta.ngay, urgency: spelled(meta, "khan"), organ: spelled(meta, "co_quan"), excerpt: excerpt(data) };
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

  /* Show up to `count` more results (PAGE_SIZE by default). */
  function showMore(id, count) {
    var batch = pending.splice(0, count || PAGE_SIZE);
    batch.forEach(function (result) { taken[result.id] = true; });
    more.hidden = true;
    return Promise.all(batch.map(function (result) { return result.data(); })).then(function (datas) {
      if (id !== run) { return; }
      datas.forEach(function (data) {
        var url = data.url.replace(/^\//, "");
        if (shown[url]) { repeated++; return; }
        shown[url] = true;
        list.appendChild(item(fromPagefind(data), false));
      });
      more.hidden = pending.length === 0;
    });
  }

  /* The list again, in the order of `results` (every bundle's, ranked together), with the exact
     number matches first: at least as many results as are shown now, built before anything on
     screen changes, then put in place at once. Resolves false, and changes nothing, when the
     visitor took hold of the list meanwhile. */
  function reorder(id, results, exact) {
    var count = Math.max(PAGE_SIZE, Object.keys(taken).length);
    var batch = results.slice(0, count);
    return Promise.all(batch.map(function (result) { return result.data(); })).then(function (datas) {
      if (id !== run || held) { return false; }
      var items = document.createDocumentFragment(), seen = {}, skipped = 0, took = {};
      exact.forEach(function (entry) {
        seen[entry.url] = true;
        items.appendChild(item(entry, true));
      });
      datas.forEach(function (data, at) {
        took[batch[at].id] = true;
        var url = data.url.replace(/^\//, "");
        if (seen[url]) { skipped++; return; }
        seen[url] = true;
        items.appendChild(item(fromPagefind(data), false));
      });
      list.textContent = "";
      list.appendChild(items);
      shown = seen;
      taken = took;
      repeated = skipped;
      pending = results.slice(count);
      return true;
    });
  }

  function untaken(results) {
    return results.filter(function (result) { return !taken[result.id]; });
  }

  /* `live`: run while the visitor types; `go`: the visitor pressed Enter (or the button), and a query
     written as a number that exactly one document bears opens that document. */
  function search(live, go) {
    var id = ++run;
    var typed = field.q.value;
    var query = typed.trim();
    var chosen = filters();
    remember(query, chosen);
    pending = [];
    shown = {};
    taken = {};
    repeated = 0;
    held = false;
    if (!query && !Object.keys(chosen).length) {
      list.textContent = "";
      list.setAttribute("aria-busy", "false");
      more.hidden = true;
      status.textContent = "";
      return Promise.resolve();
    }
    status.textContent = "Đang tìm…";
    list.setAttribute("aria-busy", "true");
    var options = { filters: chosen };
    if (field.sap_xep.value === "moi" || !query) { options.sort = { ngay: "desc" }; }
    var term = query ? fold(query) : null;
    var words = wholeWords(query ? fold(typed.replace(/^\s+/, "")) : null, live === true);
    meant = meaning(query ? fold(typed.replace(/^\s+/, "")) : null, live === true);
    var asNumber = writtenAsNumber(query);
    var what = query ? " cho “" + query + "”" : "";
    /* The bundles that hold the chosen year, or all of them; first those already loaded (at the
       first search: the newest year's), then the others. */
    var targets = indexes.filter(function (index) { return !chosen.nam || index.years.indexOf(Number(chosen.nam)) >= 0; });
    if (!targets.length) { targets = indexes.slice(0, 1); }
    var first = targets.filter(loaded);
    if (!first.length) { first = targets.slice(0, 1); }
    var later = targets.filter(function (index) { return first.indexOf(index) < 0; });
    var exact = [];

    function done(total) {
      if (id !== run) { return; }
      list.setAttribute("aria-busy", "false");
      status.textContent = total ? "Tìm thấy " + total + " văn bản" + what + "."
        : "Không tìm thấy văn bản nào" + what + ". Hãy thử ít từ hơn, hoặc bỏ bớt bộ lọc.";
    }

    return Promise.all([exactMatches(numberKey(query), chosen), withBundles(first)]).then(function (both) {
      exact = both[0];
      if (asNumber && !exact.length) { return null; }
      if (go && asNumber && exact.length === 1 && href(exact[0].url)) {
        status.textContent = "Đang mở văn bản số " + exact[0].number + "…";
        location.assign(href(exact[0].url));
        return new Promise(function () {});  // the page is being left
      }
      return find(both[1], term, options, first, words);
    }).then(function (found) {
      if (id !== run) { return; }
      list.textContent = "";
      if (found === null) {
        /* A number nobody bears: say so, and show no other letter as if it were "found". */
        list.setAttribute("aria-busy", "false");
        more.hidden = true;
        status.textContent = "Không tìm thấy văn bản nào mang số “" + query.replace(/^s[ốoô]\s*[:.]?\s*/i, "") + "”"
          + (Object.keys(chosen).length ? " trong các văn bản đã lọc" : "")
          + ". Hãy kiểm tra lại số và ký hiệu, hoặc tìm theo trích yếu.";
        return;
      }
      exact.forEach(function (entry) {
        shown[entry.url] = true;
        list.appendChild(item(entry, true));
      });
      pending = found.results.slice();
      if (later.length) {
        status.textContent = found.results.length || exact.length
          ? "Đang tìm tiếp trong " + yearsText(later) + "… Dưới đây là kết quả " + yearsText(first) + "."
          : "Đang tìm trong " + yearsText(later) + "…";
      }
      return showMore(id).then(function () {
        if (id !== run) { return; }
        if (!later.length) {
          /* The documents with the typed number are usually among the full-text results too:
             count them once (exactly when they are among the results shown). */
          done(exact.length + found.results.length - repeated);
          return;
        }
        /* Every bundle now. By relevance, and while the visitor has not taken hold of the list:
           the list once more in the order of the whole search. Otherwise (newest first, or the
           visitor is at the list): what is shown stays where it is, the rest follows. */
        return withBundles(later).then(function (pf) {
          return find(pf, term, options, targets, words);
        }).then(function (all) {
          if (id !== run) { return; }
          var again = options.sort || held ? Promise.resolve(false) : reorder(id, all.results, exact);
          return again.then(function (reordered) {
            if (id !== run) { return; }
            if (reordered) { return; }
            pending = untaken(all.results);
            var missing = Math.max(0, PAGE_SIZE - Object.keys(taken).length);
            return missing ? showMore(id, missing) : Promise.resolve();
          }).then(function () {
            if (id !== run) { return; }
            more.hidden = pending.length === 0;
            done(exact.length + all.results.length - repeated);
          });
        }, function () {
          if (id !== run) { return; }
          list.setAttribute("aria-busy", "false");
          status.textContent = "Chỉ mới tìm trong " + yearsText(first) + ": không tải được chỉ mục của "
            + yearsText(later) + ". Hãy thử lại.";
        });
      });
    }).catch(function () {
      if (id === run) {
        list.setAttribute("aria-busy", "false");
        status.textContent = "Chưa tìm được: không tải được chỉ mục tìm kiếm. Hãy thử lại.";
      }
    });
  }

  var timer = null;
  function soon() {
    clearTimeout(timer);
    timer = setTimeout(function () { search(true); }, 300);
  }

  form.addEventListener("submit", function (event) { event.preventDefault(); clearTimeout(timer); search(false, true); });
  field.q.addEventListener("input", soon);
  ["loai", "don_vi", "nam", "sap_xep"].forEach(function (name) { field[name].addEventListener("change", function () { search(false); }); });
  more.addEventListener("click", function () { held = true; showMore(run); });
  /* The visitor takes hold of the list by pressing on it (mouse, pen or finger) or moving focus into
     it: from then on it does not move under them. */
  ["pointerdown", "focusin"].forEach(function (type) { list.addEventListener(type, function () { held = true; }); });

  var params = new URLSearchParams(location.search);
  Object.keys(field).forEach(function (name) {
    var value = params.get(name);
    if (value !== null) { field[name].value = value; }
  });
  if (params.get("q") || params.get("loai") || params.get("don_vi") || params.get("nam")) { search(false); }
  /* Back from a document opened by its number: a page restored from the browser's cache shows the
     results again, not "opening". */
  window.addEventListener("pageshow", function (event) { if (event.persisted && field.q.value) { search(false); } });
})();
