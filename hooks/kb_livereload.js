/*
 * The preview's live reload (hooks/kb_serve.py), as a file: the pages' security policy
 * lets no inline script run, so MkDocs' inline one would never reload a page.
 * The same long poll as MkDocs' script, which also tells the preview which page is open,
 * so that it builds that page first after an edit.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var epoch = parseFloat(script.dataset.epoch);
  var id = script.dataset.id;
  var request, timeout;

  // One request at a time per page: a browser opens at most six connections to a host,
  // so every poll left running would take one from the pages the editor opens next.
  function poll() {
    stop();
    request = new XMLHttpRequest();
    request.onloadend = function () {
      if (this !== request) return; // stopped: its follower, if any, is already running
      request = undefined;
      if (parseFloat(this.responseText) > epoch) {
        location.reload();
      } else {
        timeout = setTimeout(poll, this.status === 200 ? 0 : 3000);
      }
    };
    request.open("GET", "/livereload/" + epoch + "/" + id + "?page=" + encodeURIComponent(location.pathname));
    request.send();
  }

  function stop() {
    var running = request;
    request = undefined;
    if (running) running.abort();
    if (timeout) clearTimeout(timeout);
    timeout = undefined;
  }

  window.addEventListener("load", function () {
    if (document.visibilityState === "visible") poll();
  });
  window.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") poll();
    else stop();
  });
  window.addEventListener("beforeunload", stop);
})();
