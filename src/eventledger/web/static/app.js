// Mark the evidence span a link points at, and scroll it into view.
(function () {
  function show() {
    document.querySelectorAll("mark.active").forEach(function (m) { m.classList.remove("active"); });
    var id = decodeURIComponent(location.hash.slice(1));
    if (!/^e\d+-\d+-\d+$/.test(id)) { return; }
    document.querySelectorAll("mark[data-ev]").forEach(function (m) {
      if (m.dataset.ev.split(" ").indexOf(id) !== -1) { m.classList.add("active"); }
    });
    var target = document.getElementById(id);
    if (target) { target.scrollIntoView({ block: "center" }); }
  }
  window.addEventListener("hashchange", show);
  document.addEventListener("DOMContentLoaded", show);
})();
