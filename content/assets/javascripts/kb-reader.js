/* Reader's amenities that need a script (a file, for the Content-Security-Policy):
 * - the menu and search buttons of the header are labels of hidden check
 *   boxes, which the keyboard cannot reach: each is replaced by a real button
 *   that says whether its panel is open (aria-expanded); the side menu takes
 *   the focus when opened and Escape closes it;
 * - the language switcher keeps the #anchor of the address;
 * - abbreviations explain themselves on keyboard focus and on tap, not only on
 *   hover: each becomes focusable, and Material shows its tooltip.
 * Without this script, the labels stay and work with a mouse or a finger.
 */
(function () {
  "use strict";

  /* A real button in place of one of the header's labels: the keyboard reaches
     it, Enter and Space press it, and it says whether its panel is open. */
  function double(label, toggle, name, modifier) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "md-header__button md-icon kb-button--" + modifier;
    button.setAttribute("aria-label", name);
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
    var button = double(label, toggle, nav ? nav.getAttribute("aria-label") : "Menu", "drawer");
    toggle.addEventListener("change", function () {
      if (toggle.checked && document.activeElement === button) {
        /* once the slide has made it visible */
        window.setTimeout(function () {
          var first = side.querySelector("a[href], [tabindex='0']");
          if (first) first.focus();
        }, 300);
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.checked) {
        toggle.click();
        button.focus();
      }
    });
  }

  function search() {
    var toggle = document.getElementById("__search");
    var label = document.querySelector('.md-header label[for="__search"]');
    var input = document.querySelector(".md-search__input");
    if (!toggle || !label) return;
    double(label, toggle, input ? input.getAttribute("aria-label") : "Search", "search");
  }

  function switcher() {
    var links = document.querySelectorAll(".md-select__link[hreflang]");
    function keepAnchor() {
      links.forEach(function (link) {
        var href = link.getAttribute("href").split("#")[0];
        link.setAttribute("href", href + (window.location.hash || ""));
      });
    }
    keepAnchor();
    window.addEventListener("hashchange", keepAnchor);
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

  function start() {
    drawer();
    search();
    switcher();
    abbreviations();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
