// Check-in page: each form carries a fresh client UUID (a double tap or resubmit counts once),
// and a camera scanner where the browser has BarcodeDetector (typing or a USB scanner always works).
(function () {
  "use strict";
  function uuid() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, function (c) {
      var r = (Math.random() * 16) | 0;
      return (c === "x" ? r : (r & 0x3) | 0x8).toString(16);
    });
  }
  document.querySelectorAll("form[method=post]").forEach(function (form) {
    var field = form.querySelector("input[name=client_uuid]");
    if (!field) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = "client_uuid";
      form.appendChild(field);
    }
    if (!field.value) { field.value = uuid(); }
  });
  var button = document.getElementById("scan-button");
  var input = document.getElementById("id_code");
  if (!button || !input || !("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    var video = document.getElementById("scan-video");
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.hidden = false;
      video.srcObject = stream;
      video.play();
      var tick = function () {
        detector.detect(video).then(function (codes) {
          if (codes.length) {
            stream.getTracks().forEach(function (t) { t.stop(); });
            video.hidden = true;
            input.value = codes[0].rawValue;
            // requestSubmit runs the page's submit handlers (the offline queue), submit() would not.
            if (input.form.requestSubmit) { input.form.requestSubmit(); } else { input.form.submit(); }
          } else {
            window.requestAnimationFrame(tick);
          }
        });
      };
      tick();
    });
  });
})();
