// Starts Swagger UI on the API docs page. A separate file, not inline, for the strict CSP.
(function () {
  "use strict";
  var node = document.getElementById("swagger-ui");
  if (!node || typeof window.SwaggerUIBundle !== "function") {
    return;
  }
  window.SwaggerUIBundle({
    url: node.getAttribute("data-schema-url"),
    domNode: node,
    deepLinking: true,
    tryItOutEnabled: false,
    supportedSubmitMethods: ["get"],
  });
})();
