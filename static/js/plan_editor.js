// The plan editor: keyboard and drag-and-drop moves, focus after redraws, live preview, error notices.
// Every request goes through htmx (attributes in the templates); this file only adds what htmx cannot.
(function () {
  "use strict";
  const editor = document.getElementById("editor");
  if (!editor) return;

  const MOVE_KEYS = { ArrowUp: "up", ArrowDown: "down", ArrowRight: "in", ArrowLeft: "out" };

  // Alt + arrow on a focused section row moves it, like the arrow buttons.
  editor.addEventListener("keydown", function (event) {
    const row = event.target.closest(".outline-row");
    if (!row || !event.altKey || !MOVE_KEYS[event.key]) return;
    event.preventDefault();
    const button = row.querySelector('[data-move="' + MOVE_KEYS[event.key] + '"]');
    if (button) button.click();
  });

  // After the outline is redrawn, put the focus back on the section that moved (or the new one's heading).
  document.body.addEventListener("htmx:afterSettle", function (event) {
    // after an outerHTML swap htmx reports the old element: compare ids, then look up the new one
    if (!event.detail.target || event.detail.target.id !== "outline") return;
    const outline = document.getElementById("outline");
    if (!outline) return;
    const id = outline.dataset.focus;
    const item = id && document.getElementById("section-" + id);
    if (!item) return;
    const heading = item.querySelector(":scope > .outline-content input[name=heading]");
    const target = heading || item.querySelector(":scope > .outline-content .outline-row");
    if (target) {
      target.focus();
      if (heading) heading.select();
    }
  });

  // An opened section form takes the focus.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    const form = event.detail.target.querySelector && event.detail.target.querySelector(":scope > .section-form");
    if (form && !form.querySelector(".alert")) form.querySelector("input[name=heading]").focus();
  });

  // The preview shows the saved plan: reload it after every change, and say "Saved." to screen readers.
  const live = document.getElementById("editor-live");
  document.body.addEventListener("plan-changed", function () {
    const frame = document.getElementById("live-preview");
    if (frame && frame.contentWindow) frame.contentWindow.location.reload();
    if (live) {
      live.textContent = "";
      window.setTimeout(function () { live.textContent = live.dataset.saved; }, 50);
    }
  });

  // The preview is an A4 page: laid out at page width, then scaled down to fit the column.
  const scaler = document.querySelector(".preview-scaler");
  function fitPreview() {
    if (!scaler) return;
    const frame = scaler.querySelector("iframe");
    const scale = Math.min(1, scaler.clientWidth / frame.offsetWidth);
    frame.style.transform = "scale(" + scale + ")";
    scaler.style.height = frame.offsetHeight * scale + "px";
  }
  window.addEventListener("resize", fitPreview);
  fitPreview();

  // Unsaved typing: a form with changes is "dirty" until it is saved. Redrawing the outline (add, move,
  // delete) or leaving the page would discard it, so both ask first.
  editor.addEventListener("input", function (event) {
    const form = event.target.closest("form");
    if (form) form.dataset.dirty = "1";
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    const form = event.detail.elt.closest && event.detail.elt.closest("form");
    if (form && event.detail.successful) delete form.dataset.dirty;
  });
  function dirtySectionForms() {
    return document.querySelectorAll("#outline form.section-form[data-dirty], #outline form.target-form[data-dirty]");
  }
  // a target block is redrawn by its own buttons: ask when a target form in it has unsaved typing
  // (except when that form is the one being saved)
  function dirtyFormsIn(target, elt) {
    return Array.prototype.filter.call(target.querySelectorAll("form[data-dirty]"), function (form) {
      return !form.contains(elt);
    });
  }
  document.body.addEventListener("htmx:confirm", function (event) {
    const target = event.detail.target;
    if (!target || !target.classList || !target.classList.contains("section-targets")) return;
    if (!dirtyFormsIn(target, event.detail.elt).length) return;
    event.preventDefault();
    const question = event.detail.question;
    const message = question ? editor.dataset.unsaved + "\n\n" + question : editor.dataset.unsaved;
    if (window.confirm(message)) event.detail.issueRequest(true);
  });
  document.body.addEventListener("htmx:confirm", function (event) {
    const target = event.detail.target;
    if (!target || target.id !== "outline" || !dirtySectionForms().length) return;
    event.preventDefault();
    const question = event.detail.question;  // a delete asks its own question too
    const message = question ? editor.dataset.unsaved + "\n\n" + question : editor.dataset.unsaved;
    if (window.confirm(message)) event.detail.issueRequest(true);
  });
  window.addEventListener("beforeunload", function (event) {
    if (editor.querySelector("form[data-dirty]")) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  // Targets: after a target block is redrawn, focus its open form, or the target that was moved or saved.
  document.body.addEventListener("htmx:afterSettle", function (event) {
    const old = event.detail.target;
    if (!old || !old.classList || !old.classList.contains("section-targets")) return;
    const block = document.getElementById(old.id);
    if (!block) return;
    showTargetFields(block);
    const field = block.querySelector(".target-form .is-invalid, .target-form textarea[name=text]");
    if (field) {
      field.focus();
      return;
    }
    const id = block.dataset.focus;
    const row = id && document.querySelector("#target-" + id + " .target-row");
    if (row) row.focus();
  });

  // In a target form, only the fields that apply show: the upper value for "between", the due date or
  // quarter for the kind of due chosen. (Hidden fields keep their value; the server checks what applies.)
  function toggle(form, name, visible) {
    const input = form.querySelector('[name="' + name + '"]');
    const wrapper = input && (input.closest('[id^="div_"]') || input.parentElement);
    if (wrapper) wrapper.hidden = !visible;
  }
  function showTargetFields(root) {
    root.querySelectorAll("form.target-form").forEach(function (form) {
      const comparison = form.querySelector('[name="comparison"]');
      const due = form.querySelector('[name="due_kind"]:checked');
      toggle(form, "value_max", !comparison || comparison.value === "between");
      toggle(form, "due_on", due && due.value === "date");
      toggle(form, "due_quarter", due && due.value === "quarter");
      toggle(form, "due_year", due && due.value === "quarter");
    });
  }
  editor.addEventListener("change", function (event) {
    const form = event.target.closest && event.target.closest("form.target-form");
    if (form && (event.target.name === "comparison" || event.target.name === "due_kind")) {
      showTargetFields(form.parentElement);
    }
  });
  showTargetFields(editor);

  // A server error or a lost connection: say so; what was typed stays in the form (nothing is swapped).
  const toastElement = document.getElementById("editor-error");
  function notify(message) {
    if (!toastElement) return;
    toastElement.querySelector(".toast-body").textContent = message;
    bootstrap.Toast.getOrCreateInstance(toastElement, { delay: 8000 }).show();
  }
  document.body.addEventListener("htmx:responseError", function () {
    notify(editor.dataset.serverError);
  });
  document.body.addEventListener("htmx:sendError", function () {
    notify(editor.dataset.networkError);
  });

  // Drag and drop: drop on the top third of a row to place before it, the bottom third after it,
  // the middle to make it a sub-section.
  let dragged = null;
  function placeFor(row, event) {
    const box = row.getBoundingClientRect();
    const y = event.clientY - box.top;
    if (y < box.height / 3) return "before";
    if (y > (2 * box.height) / 3) return "after";
    return "child";
  }
  function clearMarks() {
    editor.querySelectorAll(".drop-before, .drop-after, .drop-child, .dragging").forEach(function (el) {
      el.classList.remove("drop-before", "drop-after", "drop-child", "dragging");
    });
  }
  editor.addEventListener("dragstart", function (event) {
    const row = event.target.closest && event.target.closest(".outline-row");
    if (!row) return;
    dragged = row;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", row.dataset.section);
    row.classList.add("dragging");
  });
  editor.addEventListener("dragend", function () {
    dragged = null;
    clearMarks();
  });
  editor.addEventListener("dragover", function (event) {
    const row = event.target.closest && event.target.closest(".outline-row");
    if (!row || !dragged || row === dragged || dragged.closest(".outline-item").contains(row)) return;
    event.preventDefault();
    editor.querySelectorAll(".drop-before, .drop-after, .drop-child").forEach(function (el) {
      el.classList.remove("drop-before", "drop-after", "drop-child");
    });
    row.classList.add("drop-" + placeFor(row, event));
  });
  editor.addEventListener("drop", function (event) {
    const row = event.target.closest && event.target.closest(".outline-row");
    if (!row || !dragged || row === dragged) return;
    event.preventDefault();
    const source = dragged;
    clearMarks();
    htmx.ajax("POST", source.dataset.moveUrl, {
      target: "#outline",
      swap: "outerHTML",
      values: {
        target: row.dataset.section,
        place: placeFor(row, event),
        version: document.getElementById("plan-version").value,
      },
      headers: { "X-CSRFToken": editor.dataset.csrf },
    });
  });
})();
