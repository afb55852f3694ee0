// A page of the admin sends its change form once: a double click on "Save" would otherwise
// add the row (a network event, an inline's goal) twice, as the admin's forms carry no form
// key. Only the change forms (id "<model>_form"): the list's actions may answer with a file
// and leave the page open for the next one.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (!form.id || !form.id.endsWith("_form")) {
    return;
  }
  if (form.dataset.sent) {
    event.preventDefault();
    return;
  }
  form.dataset.sent = "1";
});

// Back to a page kept by the browser (back/forward cache): its form may be sent again.
window.addEventListener("pageshow", () => {
  for (const form of document.querySelectorAll("form[data-sent]")) {
    delete form.dataset.sent;
  }
});
