// Small improvements on every page; each page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // A form shown again with errors: its summary takes the focus, so that a screen reader
  // reads it first and the keyboard starts from there (partials/_form_errors.html).
  const summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
});

// Esc closes the open account menu and gives the focus back to its button.
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") {
    return;
  }
  for (const menu of document.querySelectorAll("details.account-menu[open]")) {
    menu.open = false;
    menu.querySelector("summary").focus();
  }
});
