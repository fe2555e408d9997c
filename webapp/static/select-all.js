/* Lists with ticked rows for one form (the rows' boxes carry form="ID"): a box in the header
   ticks them all, the form says how many are ticked, and it is not sent with none ticked. */
"use strict";

function rowBoxes(formId) {
  return Array.from(document.querySelectorAll(
    `input[type=checkbox][form="${CSS.escape(formId)}"]:not(:disabled)`));
}

// Inside the form, [data-ticked-text="… {n} …"] shows the count, and a button's
// data-confirm-ticked becomes its data-confirm with the count in it (static/app.js asks it).
function showTicked(formId) {
  const form = document.getElementById(formId);
  if (!form) {
    return;
  }
  const ticked = String(rowBoxes(formId).filter((row) => row.checked).length);
  form.querySelectorAll("[data-ticked-text]").forEach((element) => {
    element.textContent = element.dataset.tickedText.replace("{n}", ticked);
    element.className = "muted";
  });
  form.querySelectorAll("[data-confirm-ticked]").forEach((button) => {
    button.dataset.confirm = button.dataset.confirmTicked.replace("{n}", ticked);
  });
}

// <input type=checkbox data-select-all="FORM_ID">: ticks or clears every row box of that form.
document.addEventListener("change", (event) => {
  const box = event.target;
  if (box.matches("input[data-select-all]")) {
    rowBoxes(box.dataset.selectAll).forEach((row) => { row.checked = box.checked; });
    showTicked(box.dataset.selectAll);
  } else if (box.matches("input[type=checkbox][form]")) {
    const formId = box.getAttribute("form");
    const all = document.querySelector(`input[data-select-all="${CSS.escape(formId)}"]`);
    if (all) {
      const rows = rowBoxes(formId);
      all.checked = rows.length > 0 && rows.every((row) => row.checked);
    }
    showTicked(formId);
  }
});

// <form data-needs-ticks="message">: asks for a tick instead of sending an empty request.
// Capture phase on the window, so that neither htmx nor a confirmation (static/app.js, on the
// document) sees the submit.
window.addEventListener("submit", (event) => {
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
