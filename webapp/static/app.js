/* Behaviour the pages ask for with data- attributes, so that no page carries inline script
   (the Content-Security-Policy allows scripts from files only). */
"use strict";

// <form data-confirm="…"> or <button data-confirm="…">: ask before submitting.
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  const message = (button && button.dataset.confirm) || event.target.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);

document.addEventListener("change", (event) => {
  const target = event.target;
  // <select data-autosubmit>: choosing an option submits its form.
  if (target.matches("select[data-autosubmit]") && target.form) {
    target.form.requestSubmit();
  }
  // A filter bar's search box searches as one types: its change event (on leaving the box)
  // must not search the form again.
  if (target.matches("form.filters input[type=search]")) {
    event.stopPropagation();
  }
}, true);

// <input data-select-on-focus>: the whole value is selected, ready to copy.
document.addEventListener("focusin", (event) => {
  if (event.target.matches("input[data-select-on-focus]")) {
    event.target.select();
  }
});

// The header's menu button (narrow screens): opens and closes the menu it controls, and says
// so in aria-expanded; Escape closes it and gives the focus back to the button.
document.addEventListener("click", (event) => {
  const toggle = event.target.closest("[data-menu-toggle]");
  if (!toggle) {
    return;
  }
  const menu = document.getElementById(toggle.getAttribute("aria-controls"));
  const open = toggle.getAttribute("aria-expanded") !== "true";
  toggle.setAttribute("aria-expanded", String(open));
  if (menu) {
    menu.classList.toggle("open", open);
  }
});

document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") {
    return;
  }
  const toggle = document.querySelector("[data-menu-toggle][aria-expanded=true]");
  if (toggle) {
    toggle.click();
    toggle.focus();
  }
});
