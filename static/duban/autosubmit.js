// A <select data-autosubmit> sends its form as soon as another option is chosen (instead of an
// inline onchange handler, which the Content Security Policy does not allow).
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) { field.form.submit(); }
  });
})();
