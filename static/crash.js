// When the app itself stops, say so. The Rust code is written not to panic,
// but if it ever did, or the WebAssembly could not load at all, the release
// build (panic = immediate-abort) ends in a WebAssembly trap: no message, a
// page that just stops answering. This classic script runs before the wasm
// loader and turns such a stop into a visible, plain-text notice with what a
// person can do (reload: the inputs are in the address bar, so the check
// runs again). Errors that are not the app's (none should reach this page:
// its CSP allows scripts from itself only) are left to the console.
(function () {
  'use strict';
  var shown = false;

  function isAppFailure(error) {
    // A trap (unreachable, out of bounds), or a module that does not compile or link.
    return typeof WebAssembly === 'object' && error != null &&
      (error instanceof WebAssembly.RuntimeError ||
        error instanceof WebAssembly.CompileError ||
        error instanceof WebAssembly.LinkError);
  }

  function show(error) {
    if (shown || !document.body) return;
    shown = true;
    var box = document.createElement('div');
    box.id = 'app-stopped';
    box.className = 'app-stopped';
    box.setAttribute('role', 'alert');
    var title = document.createElement('strong');
    title.textContent = 'maildoctor stopped because of an error in the page itself.';
    var what = document.createElement('p');
    what.textContent = 'This is a bug in maildoctor, not a problem with your domain. ' +
      'Reload the page to run the check again (the address keeps what you typed).';
    var detail = document.createElement('p');
    detail.className = 'app-stopped-detail';
    // Text only: the message is never parsed as HTML.
    detail.textContent = 'Details: ' + String(error && error.message ? error.name + ': ' + error.message : error);
    var reload = document.createElement('button');
    reload.type = 'button';
    reload.textContent = 'Reload';
    reload.addEventListener('click', function () { location.reload(); });
    box.append(title, what, detail, reload);
    document.body.prepend(box);
    // Nothing will move any more (the end-to-end tests wait for this).
    document.body.setAttribute('data-idle', 'true');
    reload.focus();
  }

  window.addEventListener('error', function (event) {
    if (isAppFailure(event.error)) show(event.error);
  });
  window.addEventListener('unhandledrejection', function (event) {
    if (isAppFailure(event.reason)) show(event.reason);
  });
})();
