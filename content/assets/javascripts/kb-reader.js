/* Reader's amenities that need a script (a file, for the Content-Security-Policy):
 * - the menu and search buttons of the header are labels of hidden check
 *   boxes, which the keyboard cannot reach: each is replaced by a real button
 *   that says whether its panel is open (aria-expanded); the side menu takes
 *   the focus when opened and Escape closes it;
 * - in the side menu on phones, the keyboard opens a level and goes back up,
 *   and the focus follows to the level on show;
 * - the language switcher leads to the same section of the translation: the
 *   heading the reader has scrolled to, else the #anchor of the address;
 * - abbreviations explain themselves on keyboard focus and on tap, not only on
 *   hover: each becomes focusable, and Material shows its tooltip;
 * - the open search, and on phones the open side menu, keep the keyboard's
 *   focus: the page behind is inert, Tab from the last link goes back to the
 *   first (Shift+Tab the other way); Escape closes them and the focus goes
 *   back where it was (the menu or search button);
 * - a table wider than a phone fades at the edge where more of it is hidden;
 * - the timeline page gets its filters' script (kb-timeline.js), no other page.
 * Every word comes from the page (the theme's labels, data-kb-* attributes
 * rendered from data/labels.yml): none is written here, so that a missing one
 * shows as a nameless button (which the tests catch), never as English on the
 * French site.
 * Without this script, the labels stay and work with a mouse or a finger.
 */
(function () {
  "use strict";
  var here = document.currentScript ? document.currentScript.src : null;
  var phone = window.matchMedia("(max-width: 76.234375em)");

  /* A panel open over the page (the search; the side menu on phones): while it is open the rest of
     the page is inert (the keyboard and screen readers cannot reach what is hidden behind it), Tab
     goes round inside it (Shift+Tab the other way), and when it closes the focus goes back to where
     it was before it opened (else to `fallback`), when it is still in the closed panel or nowhere.
     `covers()`: whether the panel covers the page at the screen's width. The theme's toggles
     (hidden check boxes) and overlays (labels that close the panel on a tap) stay live. */
  function overlay(toggle, panel, covers, fallback) {
    var made = [], opener = null;
    function focusables() {
      return Array.prototype.filter.call(
        panel.querySelectorAll("a[href], button, input, select, textarea, [tabindex]"),
        function (el) {
          return el.tabIndex >= 0 && !el.disabled && el.checkVisibility({ visibilityProperty: true });
        }
      );
    }
    function isolate() {
      var active = document.activeElement;
      opener = active && active !== document.body && !panel.contains(active) ? active : null;
      for (var node = panel; node.parentElement && node !== document.body; node = node.parentElement) {
        Array.prototype.forEach.call(node.parentElement.children, function (el) {
          if (el === node || el.inert || el.matches("input.md-toggle, label.md-overlay, script, style, link")) return;
          el.inert = true;
          made.push(el);
        });
      }
    }
    function release() {
      made.forEach(function (el) { el.inert = false; });
      made = [];
      var active = document.activeElement;
      var back = opener && opener.isConnected ? opener : fallback;
      if (back && (!active || active === document.body || panel.contains(active))) back.focus();
      opener = null;
    }
    toggle.addEventListener("change", function () {
      if (toggle.checked && covers()) isolate();
      else if (!toggle.checked && made.length) release();
    });
    if (toggle.checked && covers()) isolate(); /* opened before this script ran: a shared search (?q=) */
    window.addEventListener("keydown", function (event) {
      if (event.key !== "Tab" || !toggle.checked || !made.length) return;
      var targets = focusables();
      if (!targets.length) return;
      var first = targets[0], last = targets[targets.length - 1];
      var inside = panel.contains(document.activeElement);
      if (event.shiftKey && (!inside || document.activeElement === first)) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (!inside || document.activeElement === last)) {
        event.preventDefault();
        first.focus();
      }
    }, true);
  }

  /* A real button in place of one of the header's labels: the keyboard reaches
     it, Enter and Space press it, and it says whether its panel is open. */
  function double(label, toggle, name, modifier) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-header__button md-icon kb-button--" + modifier;
    if (name) button.setAttribute("aria-label", name);
    button.setAttribute("aria-expanded", String(toggle.checked));
    button.innerHTML = label.innerHTML; /* the theme's icon */
    label.parentNode.insertBefore(button, label);
    label.hidden = true;
    button.addEventListener("click", function () { toggle.click(); });
    toggle.addEventListener("change", function () {
      button.setAttribute("aria-expanded", String(toggle.checked));
    });
    return button;
  }

  function drawer() {
    var toggle = document.getElementById("__drawer");
    var label = document.querySelector('.md-header label[for="__drawer"]');
    var side = document.querySelector(".md-sidebar--primary");
    var nav = document.querySelector("nav.md-nav--primary");
    if (!toggle || !label || !side) return;
    var button = double(label, toggle, nav && nav.getAttribute("aria-label"), "drawer");
    toggle.addEventListener("change", function () {
      if (toggle.checked && document.activeElement === button) {
        /* once the slide has made it visible */
        window.setTimeout(function () {
          var targets = side.querySelectorAll("a[href], [tabindex='0']");
          for (var i = 0; i < targets.length; i++) {
            if (targets[i].checkVisibility({ visibilityProperty: true })) {
              targets[i].focus();
              break;
            }
          }
        }, 300);
      }
    });
    /* in the capture phase: before the theme's own handler closes the menu */
    window.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.checked) {
        toggle.click();
        button.focus();
      }
    }, true);
    /* On phones the open menu covers the page */
    overlay(toggle, side, function () { return phone.matches; }, button);
  }

  /* The side menu on phones shows one level at a time: the keyboard reaches
     the labels that open a level and the title that goes back up (Enter or
     Space presses them), and the focus follows to the level on show. */
  function menuLevels() {
    var side = document.querySelector(".md-sidebar--primary");
    if (!side) return;
    var labels = side.querySelectorAll('label.md-nav__title[for^="__nav"], label.md-nav__link[for^="__nav"]');
    function reachable() {
      labels.forEach(function (label) {
        if (label.dataset.kbTabindex === undefined) label.dataset.kbTabindex = label.getAttribute("tabindex") || "";
        if (phone.matches) label.setAttribute("tabindex", "0");
        else if (label.dataset.kbTabindex) label.setAttribute("tabindex", label.dataset.kbTabindex);
        else label.removeAttribute("tabindex");
      });
    }
    reachable();
    phone.addEventListener("change", reachable);
    /* the theme presses a focused label on Enter; Space too */
    labels.forEach(function (label) {
      label.addEventListener("keydown", function (event) {
        if (event.key === " ") {
          event.preventDefault();
          label.click();
        }
      });
    });
    side.querySelectorAll('input.md-nav__toggle[id^="__nav"]').forEach(function (toggle) {
      toggle.addEventListener("change", function () {
        if (!phone.matches || !side.contains(document.activeElement)) return;
        window.setTimeout(function () {
          var item = toggle.parentElement;
          var target = toggle.checked
            ? item.querySelector(":scope > nav > label.md-nav__title")
            : item.querySelector('label.md-nav__link[for="' + toggle.id + '"]');
          if (target) target.focus();
        }, 300);
      });
    });
  }

  function search() {
    var toggle = document.getElementById("__search");
    var label = document.querySelector('.md-header label[for="__search"]');
    var input = document.querySelector(".md-search__input");
    var dialog = document.querySelector(".md-search[data-kb-search]");
    if (!toggle || !label) return;
    double(label, toggle, input && input.getAttribute("aria-label"), "search");
    /* open, the search covers the page (on phones) or lays its results over it */
    if (dialog) overlay(toggle, dialog, function () { return true; }, input);
  }

  /* The section the reader is in: the last heading of the article whose top
     has scrolled up to the header's bottom (or above); headings have the same
     ids in every language. None at the top of the page. */
  function section() {
    var header = document.querySelector(".md-header");
    var line = (header ? header.getBoundingClientRect().bottom : 0) + 8;
    var headings = document.querySelectorAll(
      ".md-content article h2[id], .md-content article h3[id], .md-content article h4[id]");
    var found = null;
    for (var i = 0; i < headings.length; i++) {
      /* a heading scrolled to (an #anchor, the table of contents) stops at its
         scroll margin, which may lie below the header's bottom */
      var margin = parseFloat(window.getComputedStyle(headings[i]).scrollMarginTop) || 0;
      if (headings[i].getBoundingClientRect().top > Math.max(line, margin + 2)) break;
      found = headings[i];
    }
    return found;
  }

  function switcher() {
    var links = document.querySelectorAll(".md-select__link[hreflang]");
    /* the translation's link leads to the section read (the #anchor the
       reader came with, until the page is scrolled past a heading) */
    function keepAnchor() {
      var heading = section();
      var hash = heading ? "#" + encodeURIComponent(heading.id) : window.location.hash || "";
      links.forEach(function (link) {
        var href = link.getAttribute("href").split("#")[0];
        link.setAttribute("href", href + hash);
      });
    }
    keepAnchor();
    window.addEventListener("hashchange", keepAnchor);
    var pending = false;
    window.addEventListener("scroll", function () {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () { pending = false; keepAnchor(); });
    }, { passive: true });
    /* and exactly where the reader is when the menu is used */
    links.forEach(function (link) {
      link.addEventListener("pointerdown", keepAnchor);
      link.addEventListener("focus", keepAnchor);
    });
    /* The theme's own handler of these links (on the page's body) looks the
       translation up in a sitemap and drops the anchor: follow the link. */
    links.forEach(function (link) {
      link.addEventListener("click", function (event) { event.stopPropagation(); });
    });
  }

  function abbreviations() {
    document.querySelectorAll(".md-typeset abbr[title]").forEach(function (abbr) {
      if (abbr.closest("a, button")) return; /* a link already: focusable, and a tap follows it */
      abbr.setAttribute("tabindex", "0");
      /* a tap gives the focus, and the focus shows the explanation */
      abbr.addEventListener("click", function () { abbr.focus(); });
    });
  }

  /* A table wider than its frame (on phones) says so: its edge fades on the
     side where more of it is hidden (kb.css), as the reader scrolls it. */
  function wideTables() {
    function mark(frame) {
      var hidden = frame.scrollWidth - frame.clientWidth;
      frame.classList.toggle("kb-scroll--left", hidden > 1 && frame.scrollLeft > 1);
      frame.classList.toggle("kb-scroll--right", hidden > 1 && frame.scrollLeft < hidden - 1);
    }
    /* the theme puts each table in its frame once its own script has run */
    function watch() {
      var observer = new ResizeObserver(function (entries) {
        entries.forEach(function (entry) { mark(entry.target); });
      });
      document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (frame) {
        if (frame.dataset.kbScroll) return;
        frame.dataset.kbScroll = "1";
        mark(frame);
        observer.observe(frame);
        frame.addEventListener("scroll", function () { mark(frame); }, { passive: true });
      });
    }
    watch();
    if (document.readyState !== "complete") window.addEventListener("load", watch);
  }

  /* The timeline's filters need a script of their own: loaded where they are */
  function timeline() {
    if (!here || !document.querySelector(".kb-timeline")) return;
    var script = document.createElement("script");
    script.src = new URL("kb-timeline.js", here).href;
    document.head.appendChild(script);
  }

  function start() {
    drawer();
    menuLevels();
    search();
    switcher();
    abbreviations();
    wideTables();
    timeline();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
