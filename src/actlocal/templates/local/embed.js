(function () {
  var s = document.currentScript;
  var q = new URLSearchParams();
  ["campaign", "zip", "radius"].forEach(function (k) { if (s.dataset[k]) { q.set(k, s.dataset[k]); } });
  var f = document.createElement("iframe");
  f.src = "{{ src|escapejs }}?" + q.toString();
  f.title = s.dataset.title || "Events near you";
  f.style.cssText = "width:100%;height:" + (s.dataset.height || "520") + "px;border:0;";
  f.loading = "lazy";
  f.referrerPolicy = "strict-origin-when-cross-origin";
  s.parentNode.insertBefore(f, s);
})();
