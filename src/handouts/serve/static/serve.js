// handouts serve: live reload of the preview and the check report (server-sent events).
// The only script of the app; no inline scripts are allowed by its Content-Security-Policy.
"use strict";
(function () {
  var status = document.getElementById("live-status");
  if (!window.EventSource || !window.fetch) {
    return;
  }

  function refresh(part) {
    return fetch(part.dataset.src, {cache: "no-store", credentials: "same-origin"})
      .then(function (response) { return response.text(); })
      .then(function (html) {
        part.innerHTML = html;
        if (status) {
          status.textContent = "Updated at " + new Date().toLocaleTimeString();
        }
      });
  }

  var events = new EventSource("/events");
  events.onopen = function () { document.body.dataset.live = "connected"; };
  events.onerror = function () { document.body.dataset.live = "reconnecting"; };
  events.onmessage = function (message) {
    var event = JSON.parse(message.data);
    var parts = document.querySelectorAll("[data-live]");
    Array.prototype.forEach.call(parts, function (part) {
      if (part.dataset.live !== event.part) {
        return;
      }
      if (part.dataset.slug && event.slugs.indexOf(part.dataset.slug) < 0) {
        return;
      }
      refresh(part);
    });
  };
}());
