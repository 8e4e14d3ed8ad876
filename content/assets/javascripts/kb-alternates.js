/*
 * Answers, without the network, Material's look-up of a sitemap.xml next to
 * each hreflang address: mkdocs-static-i18n points those addresses at the
 * page's translations, where no sitemap exists (each look-up was a 404), and
 * the language switcher already links each translation. Loaded before the
 * theme's scripts (overrides/main.html); tested in tests/test_browser.py.
 */
(function () {
  "use strict";
  var proto = XMLHttpRequest.prototype, open = proto.open, send = proto.send;
  function alternateSitemap(url) {
    var links = document.querySelectorAll("link[rel=alternate][hreflang]");
    for (var i = 0; i < links.length; i++) {
      if (new URL("sitemap.xml", links[i].href).href === url) return true;
    }
    return false;
  }
  proto.open = function (method, url) {
    this.kbUrl = new URL(String(url), location.href).href;
    return open.apply(this, arguments);
  };
  proto.send = function () {
    var xhr = this, url = xhr.kbUrl || "";
    if (/\/sitemap\.xml$/.test(url) && alternateSitemap(url)) {
      setTimeout(function () { xhr.dispatchEvent(new ProgressEvent("error")); }, 0);
      return;
    }
    return send.apply(xhr, arguments);
  };
})();
