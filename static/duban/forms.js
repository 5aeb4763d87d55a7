// Every form's own Chinese word for a field the browser refuses (required, number, range …):
// the bubble says it in the page's language, and the same message stands beside the field,
// naming it, until the field is changed. The texts come from <body data-msg-*> (translated).
(function () {
  "use strict";
  var texts = document.body.dataset;

  function fieldName(el) {
    if (el.labels && el.labels.length) {
      var label = el.labels[0].cloneNode(true);
      label.querySelectorAll("input, select, textarea, .error").forEach(function (c) { c.remove(); });
      var text = label.textContent.replace(/\s+/g, " ").trim();
      if (text) { return text.replace(/[:：]$/, ""); }
    }
    return el.getAttribute("aria-label") || el.getAttribute("placeholder") || el.name || "";
  }

  function message(el) {
    var v = el.validity, text = texts.msgInvalid;
    if (v.valueMissing) { text = texts.msgRequired; }
    else if (v.rangeUnderflow || v.rangeOverflow || v.tooLong || v.tooShort) { text = texts.msgRange; }
    return (text || "").replace("{field}", fieldName(el));
  }

  document.addEventListener("invalid", function (event) {
    var el = event.target;
    el.setCustomValidity("");
    if (el.validity.valid) { return; }
    var text = message(el);
    el.setCustomValidity(text);
    var note = el.nextElementSibling;
    if (!note || !note.classList.contains("field-error")) {
      note = document.createElement("span");
      note.className = "error field-error";
      note.setAttribute("role", "alert");
      el.insertAdjacentElement("afterend", note);
    }
    note.textContent = text;
  }, true);

  function clear(event) {
    var el = event.target;
    if (!el.setCustomValidity) { return; }
    el.setCustomValidity("");
    var note = el.nextElementSibling;
    if (note && note.classList.contains("field-error") && el.checkValidity()) { note.remove(); }
  }
  document.addEventListener("input", clear, true);
  document.addEventListener("change", clear, true);
})();
