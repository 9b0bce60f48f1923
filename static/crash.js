// When the app itself stops, say so. The Rust code is written not to panic,
// but if it ever did, the release build (panic = immediate-abort) ends in a
// WebAssembly trap: no message, a page that just stops answering. And if the
// wasm cannot load or start (a file that did not arrive whole, a browser
// without WebAssembly), the page shows its name and a "loading" line forever.
// This classic script runs before the wasm loader and turns either into a
// visible, plain-text notice with what a person can do (reload: the inputs
// are in the address bar, so the check runs again). Later errors that are not
// traps are left to the console: the page's CSP runs no scripts but its own.
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

  // The app marks the body (data-idle) from its first render on: before that,
  // any error stopped the start. (The form is there before: index.html's copy.)
  function started() {
    return document.body !== null && document.body.hasAttribute('data-idle');
  }

  // A check asked for (Enter, the button) before the app runs: index.html's
  // copy of the form has no handler, so the app runs it when it starts
  // (ui::start reads data-queued). Until then the button says it is coming.
  document.addEventListener('submit', function (event) {
    if (started()) return;
    event.preventDefault();
    event.target.setAttribute('data-queued', 'true');
    var button = document.getElementById('check');
    if (button) button.textContent = 'Checking…';
  });

  function show(error) {
    if (shown || !document.body) return;
    shown = true;
    var starting = !started();
    var box = document.createElement('div');
    box.id = 'app-stopped';
    box.className = 'app-stopped';
    box.setAttribute('role', 'alert');
    var title = document.createElement('strong');
    var what = document.createElement('p');
    if (starting) {
      title.textContent = 'maildoctor could not start.';
      what.textContent = 'Its code did not load completely, or this browser cannot run it ' +
        '(it needs WebAssembly). Reload the page to try again.';
    } else {
      title.textContent = 'maildoctor stopped because of an error in the page itself.';
      what.textContent = 'This is a bug in maildoctor, not a problem with your domain. ' +
        'Reload the page to run the check again (the address keeps what you typed).';
    }
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
    // The report below is what the page showed before it stopped: stale, so
    // it is dimmed (style.css) and out of reach of clicks, keys and readers.
    var report = document.getElementById('report');
    if (report) report.inert = true;
    // Before the start, the form is index.html's copy: nothing would ever run its check.
    var form = document.getElementById('check-form');
    if (starting && form) form.inert = true;
    // Nothing will move any more (the end-to-end tests wait for this).
    document.body.setAttribute('data-idle', 'true');
    reload.focus();
  }

  // A muted error (from another origin: no error object) is never the app's.
  window.addEventListener('error', function (event) {
    if (isAppFailure(event.error) || (event.error != null && !started())) show(event.error);
  });
  window.addEventListener('unhandledrejection', function (event) {
    if (isAppFailure(event.reason) || (event.reason != null && !started())) show(event.reason);
  });
})();
