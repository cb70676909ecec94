// The review queue's keys: a accepts the selected incident's events, r rejects them,
// n selects the next incident. Keys typed into a form field are left alone.
(function () {
  function rows() { return Array.prototype.slice.call(document.querySelectorAll("#queue tr.queue-item")); }
  function selected() { return document.querySelector("#queue tr.queue-item.selected"); }
  function select(row) {
    rows().forEach(function (r) { r.classList.remove("selected"); r.removeAttribute("aria-selected"); });
    if (row) { row.classList.add("selected"); row.setAttribute("aria-selected", "true"); row.scrollIntoView({ block: "nearest" }); }
  }
  function submit(kind) {
    var row = selected();
    var form = row && row.querySelector("form.decide." + kind);
    if (form) { form.submit(); }
  }
  document.addEventListener("DOMContentLoaded", function () { select(rows()[0]); });
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    var tag = (e.target && e.target.tagName) || "";
    if (tag === "INPUT" || tag === "SELECT" || tag === "TEXTAREA") { return; }
    if (e.key === "a") { submit("accept"); }
    else if (e.key === "r") { submit("reject"); }
    else if (e.key === "n") {
      var all = rows(), at = all.indexOf(selected());
      select(all[Math.min(at + 1, all.length - 1)]);
    }
  });
})();
