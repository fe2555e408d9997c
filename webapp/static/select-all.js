/* Lists with ticked rows for one form (the rows' boxes carry form="ID"): a box in the header
   ticks them all, and the form is not sent with none ticked. */
"use strict";

function rowBoxes(formId) {
  return Array.from(document.querySelectorAll(
    `input[type=checkbox][form="${CSS.escape(formId)}"]:not(:disabled)`));
}

// <input type=checkbox data-select-all="FORM_ID">: ticks or clears every row box of that form.
document.addEventListener("change", (event) => {
  const box = event.target;
  if (box.matches("input[data-select-all]")) {
    rowBoxes(box.dataset.selectAll).forEach((row) => { row.checked = box.checked; });
  } else if (box.matches("input[type=checkbox][form]")) {
    const all = document.querySelector(`input[data-select-all="${CSS.escape(box.getAttribute("form"))}"]`);
    if (all) {
      const rows = rowBoxes(box.getAttribute("form"));
      all.checked = rows.length > 0 && rows.every((row) => row.checked);
    }
  }
});

// <form data-needs-ticks="message">: asks for a tick instead of sending an empty request.
// Capture phase, so that htmx never sees the submit.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.dataset || !form.dataset.needsTicks || !form.id) {
    return;
  }
  if (!rowBoxes(form.id).some((row) => row.checked)) {
    event.preventDefault();
    event.stopImmediatePropagation();
    const status = form.querySelector("[role=status], [role=alert]");
    if (status) {
      status.textContent = form.dataset.needsTicks;
      status.className = "error";
    }
  }
}, true);
