/*
 * The timeline's filters (templates/directives/timeline.md), with a script:
 * - the count of the events shown, in a polite live region (role=status), so
 *   that a screen reader hears what a choice left; its words come from the
 *   block's data-kb-count-zero/-one/-other attributes (data/labels.yml, "#"
 *   for the number), chosen by the page's language's plural rules;
 * - the choice in the address (?source=…&theme=…, each fieldset's
 *   data-kb-param), kept with history.replaceState and applied on load, so
 *   that a filtered view can be shared; the language switcher's links carry
 *   it too (sources and themes are named alike in every language).
 * Which events and years are hidden is decided by the stylesheet alone
 * (templates/assets/timeline.css), with or without this script: the count is
 * what the reader sees. Loaded by kb-reader.js on the timeline page only.
 */
(function () {
  "use strict";
  var box = document.querySelector(".kb-timeline[data-kb-count-other]");
  if (!box) return;
  var words = box.dataset;
  var status = box.querySelector(".kb-timeline__count");
  var groups = box.querySelectorAll("fieldset[data-kb-param]");
  var events = box.querySelectorAll(".kb-timeline__list > li");
  var lang = document.documentElement.lang;
  var plural = new Intl.PluralRules(lang);

  function sentence(n) {
    var form = n === 0 ? words.kbCountZero : plural.select(n) === "one" ? words.kbCountOne : words.kbCountOther;
    return form.replace("#", n.toLocaleString(lang));
  }

  function count() {
    var n = 0;
    events.forEach(function (li) {
      if (li.checkVisibility()) n++;
    });
    if (status.textContent !== sentence(n)) status.textContent = sentence(n);
  }

  /* `url` with the choice: a group left at "all" is not in it */
  function withChoice(href) {
    var url = new URL(href);
    groups.forEach(function (group) { url.searchParams.delete(group.dataset.kbParam); });
    groups.forEach(function (group) {
      var checked = group.querySelector("input[type=radio]:checked");
      if (checked && checked.value) url.searchParams.append(group.dataset.kbParam, checked.value);
    });
    return url.href;
  }

  /* the address, and the other languages' links of the switcher, say the choice */
  function remember() {
    var href = withChoice(location.href);
    if (href !== location.href) history.replaceState(history.state, "", href);
    document.querySelectorAll(".md-select__link[hreflang]").forEach(function (link) {
      link.href = withChoice(link.href);
    });
  }

  /* the choice of the address (or "all"), whatever the browser restored */
  function recall() {
    var params = new URLSearchParams(location.search);
    groups.forEach(function (group) {
      var wanted = params.get(group.dataset.kbParam) || "";
      var radios = group.querySelectorAll("input[type=radio]");
      var match = null;
      radios.forEach(function (radio) {
        if (radio.value === wanted) match = radio;
      });
      (match || radios[0]).checked = true;
    });
  }

  recall();
  remember(); /* an unknown value leaves the address */
  status.hidden = false;
  count();
  box.addEventListener("change", function (event) {
    if (!event.target.matches("input[type=radio]")) return;
    remember();
    count();
  });
})();
