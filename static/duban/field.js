// The field page keeps what was typed on the phone: every step goes into a queue in
// localStorage first and is sent from there; a dropped connection leaves it in the queue,
// and it is sent again when the phone is back online (and every 15 seconds). The server
// answers a resend of a step it already has as done, so nothing is recorded twice.
(function () {
  "use strict";
  var QUEUE = "duban-field-queue";
  var root = document.getElementById("field");
  if (!root) { return; }

  function load() {
    try { return JSON.parse(localStorage.getItem(QUEUE) || "[]"); } catch (e) { return []; }
  }
  function save(queue) { localStorage.setItem(QUEUE, JSON.stringify(queue)); }
  function csrf() {
    var input = document.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function say(text, kind) {
    var box = document.getElementById("field-message");
    if (!box) { return; }
    var item = document.createElement("p");
    item.className = "msg-" + kind;
    item.textContent = text;
    box.prepend(item);
  }
  function showQueue() {
    var queue = load(), el = document.getElementById("queue");
    if (!el) { return; }
    el.hidden = queue.length === 0;
    el.textContent = queue.map(function (q) { return q.label; }).join("、") + " — " + root.dataset.msgPending;
  }

  var sending = false;
  function flush() {
    if (sending) { return; }
    var queue = load();
    if (!queue.length) { showQueue(); return; }
    sending = true;
    var item = queue[0];
    var body = new URLSearchParams(item.data);
    fetch(item.url, {
      method: "POST",
      headers: { "X-CSRFToken": csrf(), "Accept": "application/json" },
      body: body,
      credentials: "same-origin"
    }).then(function (response) {
      return response.json().then(function (data) {
        var rest = load().filter(function (q) { return q.id !== item.id; });
        save(rest);  // answered: done or refused, either way no longer waiting
        document.querySelectorAll("#field-message .msg-warning").forEach(function (w) { w.remove(); });
        say(data.message, data.ok ? "success" : "error");
        var card = document.getElementById("hh-" + item.household);
        if (card && data.ok) {
          card.querySelector(".stage").textContent = item.label.split(" · ").pop();
          var form = card.querySelector("form");
          if (form) { form.remove(); }
        }
      });
    }).catch(function () {
      say(root.dataset.msgQueued, "warning");  // offline: keep it queued
    }).finally(function () {
      sending = false;
      showQueue();
      if (load().length && navigator.onLine !== false) { setTimeout(flush, 500); }
    });
  }

  document.querySelectorAll("form.step-form").forEach(function (form) {
    var key = "duban-field-draft-" + form.dataset.household;
    var draft = JSON.parse(localStorage.getItem(key) || "{}");
    Object.keys(draft).forEach(function (name) {
      var input = form.querySelector("[name=" + name + "]");
      if (input && input.type !== "hidden") { input.value = draft[name]; }
    });
    form.addEventListener("input", function () {
      var data = {};
      form.querySelectorAll("input:not([type=hidden])").forEach(function (i) { data[i.name] = i.value; });
      localStorage.setItem(key, JSON.stringify(data));
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (!form.reportValidity()) { return; }
      var data = {};
      new FormData(form).forEach(function (value, name) {
        if (name !== "csrfmiddlewaretoken") { data[name] = value; }
      });
      var queue = load();
      queue.push({ id: Date.now() + "-" + Math.random(), url: form.action, data: data,
                   household: form.dataset.household, label: form.dataset.label });
      save(queue);
      localStorage.removeItem(key);
      form.querySelector("button").disabled = true;
      showQueue();
      flush();
    });
  });

  window.addEventListener("online", flush);
  setInterval(flush, 15000);
  showQueue();
  flush();
})();
