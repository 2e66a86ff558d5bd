// Send the CSRF token with every htmx request; the token lives in a meta tag set once in base.html.
document.addEventListener("htmx:configRequest", function (event) {
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (meta) {
    event.detail.headers["X-CSRFToken"] = meta.getAttribute("content");
  }
});

// Buttons marked data-confirm ask before anything is deleted; without JavaScript the
// server shows its own confirmation page instead.
document.addEventListener("click", function (event) {
  var trigger = event.target.closest("[data-confirm]");
  if (trigger && !window.confirm(trigger.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});

// Inside [data-swap-errors], a 409 (someone else changed it) or 422 (check the form) answer
// is a fragment to show, not a failure. Kept here because the CSP forbids inline handlers.
document.addEventListener("htmx:beforeSwap", function (event) {
  var status = event.detail.xhr.status;
  if ((status === 409 || status === 422) && event.target.closest("[data-swap-errors]")) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
