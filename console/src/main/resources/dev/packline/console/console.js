// The console's own script, loaded by every page after htmx and its server-sent-events extension.
//
// A page the browser leaves may be kept, frozen, in its back/forward cache with its live parts'
// event streams still open; a browser opens at most six connections to one server, so after a
// few pages every next page would wait for one of those streams to end. Leaving a page therefore
// closes its streams (the extension closes an element's stream when htmx cleans the element up),
// and a page brought back from that cache reloads, to open them again.
window.addEventListener('pagehide', function () {
  document.querySelectorAll('[sse-connect]').forEach(function (element) {
    htmx.trigger(element, 'htmx:beforeCleanupElement');
  });
});
window.addEventListener('pageshow', function (event) {
  if (event.persisted) {
    window.location.reload();
  }
});
