// A page of the admin sends its change form once: a double click on "Save" would otherwise
// add the row (a network event, an inline's goal) twice, as the admin's forms carry no form
// key. Only the change forms (id "<model>_form"): the list's actions may answer with a file
// and leave the page open for the next one. After 10 seconds the form may be sent again
// (the first request was stopped, or its answer never came).
document.addEventListener("submit", (event) => {
  const form = event.target;
  const id = form.getAttribute("id") || "";
  if (event.defaultPrevented || !id.endsWith("_form")) {
    return;
  }
  if (form.dataset.sent) {
    event.preventDefault();
    return;
  }
  form.dataset.sent = "1";
  setTimeout(() => { delete form.dataset.sent; }, 10000);
});

// Back to a page kept by the browser (back/forward cache): its form may be sent again.
window.addEventListener("pageshow", () => {
  for (const form of document.querySelectorAll("form[data-sent]")) {
    delete form.dataset.sent;
  }
});
