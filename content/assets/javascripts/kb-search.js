/*
 * Search with Pagefind behind Material's search box (overrides/partials/search.html).
 *
 * Pagefind's index is built once per language from the built pages (hooks/kb/search.py);
 * its engine reads <html lang> and searches that language's index only. Nothing
 * is downloaded until the reader opens the search (focus, tap, or the keys / s f),
 * or the address asks for a search (?q=). Each query then loads only the index
 * chunks its words need, and the excerpts of the results shown.
 * The address keeps the query (?q=) so that a search can be shared.
 * A query that finds few pages is checked against the words of the language's pages (loaded
 * then only) and the nearest words are offered ("did you mean…") and searched too; the other
 * names of the site's words (data/search-aliases.yml: « VBG » for « VSS ») are searched with it.
 * Each result's address carries the words found (?highlight=), which the page opened marks
 * with Pagefind's highlighting script.
 */
(function () {
  "use strict";
  var dialog = document.querySelector(".md-search[data-kb-search]");
  var toggle = document.getElementById("__search");
  if (!dialog || !toggle) return;
  var input = dialog.querySelector(".md-search__input");
  var form = dialog.querySelector(".md-search__form");
  var meta = dialog.querySelector(".md-search-result__meta");
  var suggestion = dialog.querySelector(".kb-search-suggestion");
  var list = dialog.querySelector(".md-search-result__list");
  var text = dialog.dataset;
  var PAGE = 5; // results shown at once: each one downloads its excerpt
  var SHORTEST = 3; // fewer letters would load most of the index for little use
  var PAUSE = 250; // ms without a key before the results (and their excerpts) are shown
  var IDLE = 200; // and at least this long after the page has searched for the last key
  var FEW = 3; // a query finding fewer pages is checked for typing mistakes
  var lang = document.documentElement.lang.toLowerCase();
  var base = new URL(text.kbSearch, location.href).href;
  var engine = null; // promise of Pagefind, once loaded
  var about = null; // promise of the language's aliases and the name of its words file
  var vocabulary = null; // promise of the language's words, loaded when a query finds few pages
  var current = null; // the latest search's results
  var shown = 0;
  var generation = 0; // the latest query; older answers are dropped
  // elided words of the page's language (mkdocs.yml, extra.kb.search_elisions): « l’égalité »
  // is searched as « égalité », whichever apostrophe was typed
  var elisions = (text.kbElisions || "").split(/\s+/).filter(Boolean).map(function (word) {
    return word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  });
  var ELIDED = elisions.length
    ? new RegExp("(^|[\\s\"«“(\\[])(?:" + elisions.join("|") + ")['’ʼ]", "giu")
    : null;

  function unelided(query) {
    return ELIDED ? query.replace(ELIDED, "$1").trim() : query;
  }

  function load() {
    if (!engine) {
      engine = import(base + "pagefind.js").then(function (pagefind) {
        // no worker: one script less to download; a search takes milliseconds
        return pagefind.options({ excerptLength: 24, noWorker: true }).then(function () {
          return pagefind.init();
        }).then(function () { return pagefind; });
      });
      engine.catch(function () { engine = null; });
      about = fetch(base + "kb-search." + lang + ".json", { cache: "no-cache" }).then(function (response) {
        return response.ok ? response.json() : { aliases: [] };
      }).catch(function () { return { aliases: [] }; });
    }
    return engine;
  }

  // Words compared as readers type them: without accents or case
  function fold(word) {
    return word.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  }
  function tokens(phrase) {
    return phrase.split(/[^\p{L}\p{N}°]+/u).filter(Boolean);
  }
  // for matching names only: « violences » is « violence »
  function singular(word) {
    return word.length > 3 ? word.replace(/[sx]$/, "") : word;
  }

  // The queries that the site's own names make of `query`: a name of an alias group in it
  // (the site's or another) is replaced by each of the site's names of that group. The pages
  // found for a name the site does not use (`first`) come before those of the words typed.
  function aliased(query, groups) {
    var words = tokens(query), folded = words.map(function (w) { return singular(fold(w)); });
    var out = [];
    groups.forEach(function (group) {
      group.site.concat(group.other).forEach(function (name) {
        var parts = tokens(name).map(function (w) { return singular(fold(w)); });
        for (var at = 0; at + parts.length <= folded.length; at++) {
          if (!parts.every(function (p, i) { return folded[at + i] === p; })) continue;
          var other = group.site.indexOf(name) < 0;
          group.site.forEach(function (site) {
            if (fold(site) === fold(name)) return;
            var made = words.slice(0, at).concat([site], words.slice(at + parts.length)).join(" ");
            if (!out.some(function (t) { return t.query === made; })) out.push({ query: made, first: other });
          });
        }
      });
    });
    return out.slice(0, 4);
  }

  // The words of the language's pages: one a line, by bands of frequency (most frequent first)
  // separated by an empty line, gzip-compressed (hooks/kb/search.py, write_words)
  function words() {
    if (!vocabulary) {
      vocabulary = about.then(function (info) {
        if (!info.words) throw new Error("no words");
        return fetch(base + info.words);
      }).then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.arrayBuffer();
      }).then(function (buffer) {
        var bytes = new Uint8Array(buffer);
        var body = bytes[0] === 0x1f && bytes[1] === 0x8b
          ? new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).text()
          : new TextDecoder().decode(bytes);
        return body;
      }).then(function (body) {
        var known = new Map();
        body.split("\n\n").forEach(function (band, rank) {
          band.split("\n").forEach(function (word) {
            var key = fold(word);
            if (word && !known.has(key)) known.set(key, { word: word, key: key, rank: rank });
          });
        });
        return { known: known, list: Array.from(known.values()), sorted: Array.from(known.keys()).sort() };
      });
      vocabulary.catch(function () { vocabulary = null; });
    }
    return vocabulary;
  }

  // Optimal string alignment distance (an insertion, a deletion, a substitution or two letters
  // swapped count one each), or more than `max`
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) return max + 1;
    var before = null, previous = [], row, j;
    for (j = 0; j <= b.length; j++) previous.push(j);
    for (var i = 1; i <= a.length; i++) {
      row = [i];
      var least = i;
      for (j = 1; j <= b.length; j++) {
        var d = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2] + 1);
        row.push(d);
        if (d < least) least = d;
      }
      if (least > max) return max + 1;
      before = previous;
      previous = row;
    }
    return previous[b.length];
  }

  function startsSome(sorted, key) {
    var low = 0, high = sorted.length;
    while (low < high) {
      var mid = (low + high) >> 1;
      if (sorted[mid] < key) low = mid + 1;
      else high = mid;
    }
    return low < sorted.length && sorted[low].indexOf(key) === 0;
  }

  // The nearest word of the pages to a word they do not have: one wrong letter (two in words of
  // eight letters or more); while a word is being typed, the beginning of a word too
  function nearest(vocab, key, typing) {
    var max = key.length >= 8 ? 2 : 1, best = null;
    vocab.list.forEach(function (entry) {
      var d = distance(key, entry.key, max);
      if (typing && key.length >= 5 && entry.key.length > key.length) {
        // one letter wrong in the beginning of a longer word: after any whole word as near
        var begins = distance(key, entry.key.slice(0, key.length), 1);
        if (begins <= 1) d = Math.min(d, begins + 0.5);
      }
      if (d > max + 0.5) return;
      if (!best || d < best.d || (d === best.d && entry.rank < best.entry.rank)) best = { d: d, entry: entry };
    });
    return best && best.entry.word;
  }

  // `query` with each word the pages do not have replaced by the nearest one they have, or null
  function corrected(query, vocab, groups, typing) {
    var names = new Set();
    groups.forEach(function (g) {
      g.site.concat(g.other).forEach(function (n) { tokens(n).forEach(function (w) { names.add(singular(fold(w))); }); });
    });
    var parts = query.split(/\s+/), changed = false;
    var out = parts.map(function (part, i) {
      var core = part.match(/^([^\p{L}\p{N}]*)([\p{L}\p{N}][\s\S]*?)([^\p{L}\p{N}]*)$/u);
      if (!core) return part;
      var key = fold(core[2]), last = typing && i === parts.length - 1;
      if (key.length < 4 || /\d/.test(key) || /[^\p{L}]/u.test(key)) return part;
      if (vocab.known.has(key) || names.has(singular(key)) || (last && startsSome(vocab.sorted, key))) return part;
      var near = nearest(vocab, key, last);
      if (!near) return part;
      changed = true;
      return core[1] + near + core[3];
    });
    return changed ? out.join(" ") : null;
  }

  function say(message) {
    if (meta.textContent !== message) meta.textContent = message;
  }

  // "Did you mean: …?", the words offered as a button that searches them
  function offer(words) {
    suggestion.textContent = "";
    if (!words) return;
    var parts = text.kbDidYouMean.split("#");
    var button = document.createElement("button");
    button.type = "button";
    button.className = "kb-search-suggestion__words";
    button.textContent = words;
    button.addEventListener("click", function () {
      input.value = words;
      input.focus();
      run(true);
    });
    suggestion.append(parts[0], button, parts.slice(1).join("#"));
  }

  // The words that the page opened from a result marks (?highlight=): those of the query that
  // found it, of four letters or more, or acronyms and numbers (VSS, C189, 189)
  function highlighted(href, query) {
    var url = new URL(href, location.href);
    query.split(/\s+/).forEach(function (word) {
      var core = word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "").replace(/^.*['’]/, "");
      var acronym = core.length >= 2 && (/\p{N}/u.test(core) || !/\p{Ll}/u.test(core));
      if (core.length >= 4 || acronym) url.searchParams.append("highlight", core);
    });
    return url.pathname + url.search + url.hash;
  }

  function count(n) {
    return n === 0 ? text.kbNone : n === 1 ? text.kbOne : text.kbOther.replace("#", n.toLocaleString(document.documentElement.lang));
  }

  // Pagefind's excerpts are HTML with <mark> around the matched words: keep
  // the text and the marks, nothing else.
  function excerpt(html) {
    var p = document.createElement("p");
    var body = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html").body;
    body.firstChild.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        p.appendChild(mark);
      } else {
        p.appendChild(document.createTextNode(node.textContent));
      }
    });
    return p;
  }

  // a link in Material's look: the page (h1, with the icon) or one of its sections (h2)
  function link(href, level, title, html, query) {
    var a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = highlighted(href, query);
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    if (level === 1) {
      var icon = document.createElement("div");
      icon.className = "md-search-result__icon md-icon";
      article.appendChild(icon);
    }
    var heading = document.createElement("h" + level);
    heading.textContent = title;
    article.append(heading, excerpt(html));
    a.appendChild(article);
    return a;
  }

  function item(data, query) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var title = data.meta && data.meta.title ? data.meta.title : data.url;
    li.appendChild(link(data.url, 1, title, data.excerpt, query));
    // the sections where the words are, when they are not the page's top
    (data.sub_results || [])
      .filter(function (sub) { return sub.url !== data.url && sub.title && sub.title !== title; })
      .slice(0, 2)
      .forEach(function (sub) { li.appendChild(link(sub.url, 2, sub.title, sub.excerpt, query)); });
    return li;
  }

  // the next results; `fresh`: in place of the previous query's (kept until
  // the new ones are ready: no flicker while typing)
  function more(fresh) {
    var mine = generation, batch = current.slice(shown, shown + PAGE);
    shown += batch.length;
    return Promise.all(batch.map(function (r) { return r.data(); })).then(function (datas) {
      if (mine !== generation) return;
      if (fresh) list.textContent = "";
      var old = list.querySelector(".kb-search-more");
      if (old) old.remove();
      datas.forEach(function (data, i) { list.appendChild(item(data, batch[i].query)); });
      if (shown < current.length) {
        var li = document.createElement("li");
        li.className = "md-search-result__item kb-search-more";
        var button = document.createElement("button");
        button.type = "button";
        button.className = "kb-search-more__button";
        button.textContent = text.kbMore;
        button.addEventListener("click", function () {
          more().then(function () {
            var next = list.querySelectorAll(".md-search-result__item > a:first-child")[shown - PAGE];
            if (next) next.focus();
          });
        });
        li.appendChild(button);
        list.appendChild(li);
      }
    });
  }

  // Pagefind matches the words of the index (Snowball stems) that begin with
  // the typed word. A word cut while typing can be longer than its stem
  // ("domesti" for "domestic", stem "domest"): the last word, while it is
  // being typed, is also tried one and two letters shorter, and each page
  // keeps its best score (a little less for a shorter word).
  function variants(query) {
    var out = [{ query: query, weight: 1 }];
    if (/\s$/.test(input.value)) return out; // the last word is finished
    var match = query.match(/^([\s\S]*?)(\S+)$/);
    for (var cut = 1; cut <= 2 && match[2].length - cut >= 4; cut++) {
      out.push({ query: match[1] + match[2].slice(0, -cut), weight: 1 - 0.05 * cut });
    }
    return out;
  }

  // Each page keeps its best score among the queries tried, and the query that gave it
  // (the words its page will highlight)
  function find(pagefind, query, groups) {
    var tries = variants(query);
    aliased(query, groups).forEach(function (t) { tries.push({ query: t.query, weight: 0.9, first: t.first }); });
    return Promise.all(tries.map(function (t) { return pagefind.search(t.query); })).then(function (searches) {
      var best = {};
      searches.forEach(function (search, i) {
        (search ? search.results : []).forEach(function (result) {
          var score = result.score * tries[i].weight;
          // the pages of the site's names for a name it does not use, in the order of its names
          var group = tries[i].first ? i / tries.length : 1, had = best[result.id];
          if (!had || had.group > group || (had.group === group && had.score < score)) {
            best[result.id] = { id: result.id, group: group, score: score, data: result.data, query: tries[i].query };
          }
        });
      });
      var found = Object.keys(best).map(function (id) { return best[id]; }).sort(function (a, b) {
        return a.group - b.group || b.score - a.score;
      });
      // what the words as typed find (not their shorter forms, nor other names)
      found.whole = searches[0] ? searches[0].results.length : 0;
      return found;
    });
  }

  // Whether a word the reader typed may be mistyped: the pages shown for it (their text is
  // downloaded to show them anyway) have no word beginning with it. Pagefind may find pages for
  // a mistyped word: its shorter forms (« stratg » for « stratgie ») match other words.
  function unsure(query, found) {
    if (found.whole < FEW) return Promise.resolve(true);
    var keys = tokens(query).map(fold).filter(function (k) { return k.length >= 4 && !/\d/.test(k); });
    if (!keys.length) return Promise.resolve(false);
    return Promise.all(found.slice(0, PAGE).map(function (r) { return r.data(); })).then(function (datas) {
      var texts = datas.map(function (d) { return fold(d.content || ""); });
      return keys.some(function (key) {
        var start = new RegExp("(^|[^\\p{L}\\p{N}])" + key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "u");
        return !texts.some(function (t) { return start.test(t); });
      });
    });
  }

  // A query that may be mistyped: the nearest words the pages have, their pages first, then the
  // typed query's; {found, offered}
  function forgiving(pagefind, query, found, groups, typing) {
    var none = { found: found, offered: null };
    return unsure(query, found).then(function (doubt) {
      if (!doubt) return none;
      return words().then(function (vocab) {
        var better = corrected(query, vocab, groups, typing);
        if (!better) return none;
        return find(pagefind, better, groups).then(function (more) {
          if (!more.length) return none;
          var ids = new Set(more.map(function (r) { return r.id; }));
          return { found: more.concat(found.filter(function (r) { return !ids.has(r.id); })), offered: better };
        });
      });
    }).catch(function () { return none; });
  }

  // the address keeps the query once the reader pauses (browsers may ask
  // for the icon again at each change of address)
  var remembering = null;
  function remember(query, now) {
    clearTimeout(remembering);
    remembering = setTimeout(function () {
      var url = new URL(location.href);
      if (query) url.searchParams.set("q", query);
      else url.searchParams.delete("q");
      if (url.href !== location.href) history.replaceState(history.state, "", url.href);
    }, now ? 0 : 700);
  }

  // Every key searches at once (the index chunks the words need start loading);
  // the results are shown after a short pause, or at once for a shared address.
  // The pause also counts from the end of the search: on a slow phone a key's
  // search can take longer than the gap between two keys, and the next key,
  // held until it is done, must not find the excerpts of a word half typed
  // already downloading.
  var waiting = null;
  function pause(now, started) {
    return function (found) {
      var left = now === true ? 0 : Math.max(PAUSE - (performance.now() - started), IDLE);
      return new Promise(function (resolve) { waiting = setTimeout(function () { resolve(found); }, left); });
    };
  }
  function run(now) {
    var typed = input.value.trim();
    var query = unelided(typed);
    var typing = !/\s$/.test(input.value);
    var mine = ++generation;
    clearTimeout(waiting);
    remember(typed, now === true);
    if (query.length < SHORTEST) {
      list.textContent = "";
      list.setAttribute("aria-busy", "false");
      offer(null);
      say(text.kbPlaceholder);
      return Promise.resolve();
    }
    list.setAttribute("aria-busy", "true");
    say(engine ? text.kbRunning : text.kbLoading);
    var started = performance.now(), pagefind = null, groups = [];
    return load().then(function (loaded) {
      pagefind = loaded;
      return about;
    }).then(function (info) {
      groups = info.aliases || [];
      return find(pagefind, query, groups);
    }).then(pause(now, started)).then(function (found) {
      // after the pause only: the words are not loaded for a word half typed
      if (mine !== generation) return null;
      return forgiving(pagefind, query, found, groups, typing);
    }).then(function (answer) {
      if (!answer || mine !== generation) return;
      current = answer.found;
      shown = 0;
      return more(true).then(function () {
        if (mine !== generation) return;
        offer(answer.offered);
        say(count(current.length));
        list.setAttribute("aria-busy", "false");
      });
    }).catch(function () {
      // the browser's own message would be in its language, not the page's
      if (mine !== generation) return;
      say(text.kbFailed);
      list.setAttribute("aria-busy", "false");
    });
  }

  function open() {
    if (!toggle.checked) {
      toggle.checked = true;
      toggle.dispatchEvent(new Event("change"));
    }
    load();
  }

  function close() {
    if (toggle.checked) {
      toggle.checked = false;
      toggle.dispatchEvent(new Event("change"));
    }
    remember("", true);
  }

  // Any change of the text, with or without a key: typing, pasting, dictation, phone keyboards
  // Any change of the text opens the search (the box keeps the focus it got from Tab until then)
  input.addEventListener("input", function () { open(); run(); });
  // reached with Tab, the box does not open the search (its results would cover the page that the
  // reader is going through); a click or a tap does
  input.addEventListener("focus", function () { load(); });
  input.addEventListener("click", open);
  // a click outside the open search closes it (the rest of the page is inert meanwhile: kb-reader.js)
  document.addEventListener("pointerdown", function (event) {
    if (toggle.checked && !dialog.contains(event.target)) close();
  });
  dialog.addEventListener("pointerover", function () { load(); }, { passive: true });
  var button = document.querySelector("label.md-header__button[for=__search]");
  if (button) button.addEventListener("pointerover", function () { load(); }, { passive: true });
  toggle.addEventListener("change", function () {
    // open, a modal dialog: the rest of the page is inert meanwhile (kb-reader.js)
    if (toggle.checked) dialog.setAttribute("aria-modal", "true");
    else dialog.removeAttribute("aria-modal");
    if (toggle.checked) {
      load();
      // the search box is hidden on phones until the toggle shows it
      setTimeout(function () { input.focus(); }, 0);
    } else {
      remember("", true);
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var first = list.querySelector(".md-search-result__link");
    if (first) first.click();
  });
  form.addEventListener("reset", function () {
    setTimeout(function () { run(true); input.focus(); }, 0);
  });

  // Keys: / s f open the search; in it, arrows move through the results, Escape closes
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    var editing = target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
    if (!toggle.checked && !editing && (event.key === "/" || event.key === "s" || event.key === "f")) {
      event.preventDefault();
      open();
      input.focus();
      return;
    }
    if (toggle.checked && event.key === "Escape") {
      event.preventDefault();
      close(); // the focus goes back where it was before, else to the search box (kb-reader.js)
      return;
    }
    if (!toggle.checked || !dialog.contains(target)) return;
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      var links = Array.prototype.slice.call(list.querySelectorAll("a, button"));
      if (!links.length) return;
      event.preventDefault();
      var at = links.indexOf(document.activeElement);
      if (event.key === "ArrowDown") at = at < 0 ? 0 : Math.min(at + 1, links.length - 1);
      else at -= 1;
      if (at < 0) input.focus();
      else links[at].focus();
    }
  });

  // The page opened from a result marks the words searched (?highlight=…) in its own text (the
  // article, less what the index leaves out and what is in another language), with Pagefind's
  // highlighting script (mark.js), loaded on such pages only
  var marked = new URLSearchParams(location.search).getAll("highlight").filter(Boolean);
  var article = document.querySelector("[data-pagefind-body]");
  if (marked.length && article) {
    var other = "[lang]:not([lang='" + lang + "']):not([lang^='" + lang + "-'])";
    var skipped = [".headerlink", ".md-content__button", ".kb-sources", ".kb-cite", "[data-pagefind-ignore]", other];
    import(base + "pagefind-highlight.js").then(function (module) {
      return new module.default({
        highlightParam: "highlight",
        markContext: article,
        addStyles: false, // kb-reader.css: the page's own marked text, in both colour schemes
        markOptions: {
          className: "kb-highlight",
          accuracy: "complementary", // the whole word: "domestic" for "domest"
          exclude: skipped.concat(skipped.map(function (s) { return s + " *"; })),
        },
      });
    }).catch(function () {});
  }

  // A shared search: ?q=… opens the search with the query
  var shared = new URLSearchParams(location.search).get("q");
  if (shared) {
    input.value = shared;
    open();
    run(true);
  }
})();
