// The report page: a chair who typed values and clicks "submit" before "save" would send the report without
// them. Typing marks the form unsaved; submitting then stops and says so, and leaving the page asks first.
(function () {
  "use strict";
  const form = document.getElementById("report-form");
  const submit = document.getElementById("submit-report");
  if (!form) return;
  let dirty = false;
  const mark = () => { dirty = true; };
  form.addEventListener("input", mark);
  form.addEventListener("change", mark);
  form.addEventListener("submit", () => { dirty = false; });
  window.addEventListener("beforeunload", (event) => {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
  if (submit) {
    submit.form.addEventListener("submit", (event) => {
      if (!dirty) return;
      event.preventDefault();
      let note = document.getElementById("unsaved-warning");
      if (!note) {
        note = document.createElement("div");
        note.id = "unsaved-warning";
        note.className = "alert alert-warning mt-2";
        note.setAttribute("role", "alert");
        note.textContent = submit.dataset.unsavedMessage;
        submit.form.parentElement.after(note);
      }
      note.scrollIntoView({ block: "nearest" });
    });
  }
})();
