// A form is sent once: a second click (or Enter) while the page is still loading the answer is ignored, so a
// double click never posts two vouchers or two records. Pages that answer with a file (the browser stays)
// get their buttons back after a few seconds. htmx requests are not concerned (htmx has its own guard).
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (event.defaultPrevented) {
    return; // handled in the page already (htmx, a script): not a page load
  }
  if (!(form instanceof HTMLFormElement) || form.method.toLowerCase() !== "post" || form.hasAttribute("hx-post")) {
    return;
  }
  if (form.dataset.sending === "yes") {
    event.preventDefault();
    return;
  }
  form.dataset.sending = "yes";
  const buttons = form.querySelectorAll('button[type="submit"], button:not([type]), input[type="submit"]');
  buttons.forEach((button) => button.setAttribute("aria-disabled", "true"));
  setTimeout(() => {
    delete form.dataset.sending;
    buttons.forEach((button) => button.removeAttribute("aria-disabled"));
  }, 8000);
});
// Back from the history cache: the form may be sent again.
window.addEventListener("pageshow", () => {
  document.querySelectorAll("form[data-sending]").forEach((form) => delete form.dataset.sending);
});
