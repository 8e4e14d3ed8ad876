/*
 * Search with Pagefind behind Material's search box (overrides/partials/search.html).
 *
 * Pagefind's index is built once per language from the built pages (hooks/kb/search.py);
 * its engine reads <html lang> and searches that language's index only. Nothing
 * is downloaded until the reader opens the search (focus, tap, or the keys / s f),
 * or the address asks for a search (?q=). Each query then loads only the index
 * chunks its words need, and the excerpts of the results shown.
 * The address keeps the query (?q=) so that a search can be shared.
 */
(function () {
  "use strict";
  var dialog = document.querySelector(".md-search[data-kb-search]");
  var toggle = document.getElementById("__search");
  if (!dialog || !toggle) return;
  var input = dialog.querySelector(".md-search__input");
  var form = dialog.querySelector(".md-search__form");
  var meta = dialog.querySelector(".md-search-result__meta");
  var list = dialog.querySelector(".md-search-result__list");
  var text = dialog.dataset;
  var PAGE = 5; // results shown at once: each one downloads its excerpt
  var SHORTEST = 3; // fewer letters would load most of the index for little use
  var PAUSE = 250; // ms without a key before the results (and their excerpts) are shown
  var IDLE = 200; // and at least this long after the page has searched for the last key
  var engine = null; // promise of Pagefind, once loaded
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
      var base = new URL(text.kbSearch, location.href).href;
      engine = import(base + "pagefind.js").then(function (pagefind) {
        // no worker: one script less to download; a search takes milliseconds
        return pagefind.options({ excerptLength: 24, noWorker: true }).then(function () {
          return pagefind.init();
        }).then(function () { return pagefind; });
      });
      engine.catch(function () { engine = null; });
    }
    return engine;
  }

  function say(message) {
    if (meta.textContent !== message) meta.textContent = message;
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
  function link(href, level, title, html) {
    var a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = href;
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

  function item(data) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var title = data.meta && data.meta.title ? data.meta.title : data.url;
    li.appendChild(link(data.url, 1, title, data.excerpt));
    // the sections where the words are, when they are not the page's top
    (data.sub_results || [])
      .filter(function (sub) { return sub.url !== data.url && sub.title && sub.title !== title; })
      .slice(0, 2)
      .forEach(function (sub) { li.appendChild(link(sub.url, 2, sub.title, sub.excerpt)); });
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
      datas.forEach(function (data) { list.appendChild(item(data)); });
      if (shown < current.length) {
        var li = document.createElement("li");
        li.className = "md-search-result__item kb-search-more";
        var button = document.createElement("button");
        button.type = "button";
        button.className = "md-search-result__more md-button";
        button.textContent = text.kbMore;
        button.addEventListener("click", function () {
          more().then(function () {
            var next = list.querySelectorAll(".md-search-result__item > a")[shown - PAGE];
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

  function find(pagefind, query) {
    var tries = variants(query);
    return Promise.all(tries.map(function (t) { return pagefind.search(t.query); })).then(function (searches) {
      var best = {};
      searches.forEach(function (search, i) {
        (search ? search.results : []).forEach(function (result) {
          var score = result.score * tries[i].weight;
          if (!best[result.id] || best[result.id].score < score) best[result.id] = { score: score, data: result.data };
        });
      });
      return Object.keys(best).map(function (id) { return best[id]; }).sort(function (a, b) { return b.score - a.score; });
    });
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
    var mine = ++generation;
    clearTimeout(waiting);
    remember(typed, now === true);
    if (query.length < SHORTEST) {
      list.textContent = "";
      list.setAttribute("aria-busy", "false");
      say(text.kbPlaceholder);
      return Promise.resolve();
    }
    list.setAttribute("aria-busy", "true");
    if (!engine) say(text.kbLoading);
    var started = performance.now();
    return load().then(function (pagefind) {
      return find(pagefind, query);
    }).then(pause(now, started)).then(function (found) {
      if (mine !== generation) return;
      current = found;
      shown = 0;
      return more(true).then(function () {
        if (mine !== generation) return;
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
  input.addEventListener("input", function () { run(); });
  input.addEventListener("focus", open);
  dialog.addEventListener("pointerover", function () { load(); }, { passive: true });
  var button = document.querySelector("label.md-header__button[for=__search]");
  if (button) button.addEventListener("pointerover", function () { load(); }, { passive: true });
  toggle.addEventListener("change", function () {
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
    if (!toggle.checked || !dialog.contains(target)) return;
    if (event.key === "Escape") {
      event.preventDefault();
      close();
      input.blur();
      return;
    }
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

  // A shared search: ?q=… opens the search with the query
  var shared = new URLSearchParams(location.search).get("q");
  if (shared) {
    input.value = shared;
    open();
    run(true);
  }
})();
