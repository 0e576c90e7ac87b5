// aligner review page: click a word (or a listed disagreement) to seek; the word being
// spoken is highlighted. No network, no libraries; the data lives in the words' attributes.
(function () {
  "use strict";
  var player = document.getElementById("player");
  var follow = document.getElementById("follow");
  var timed = Array.prototype.slice.call(document.querySelectorAll(".w[data-start]"));
  var starts = timed.map(function (el) { return parseFloat(el.getAttribute("data-start")); });
  var ends = timed.map(function (el) { return parseFloat(el.getAttribute("data-end")); });
  var current = null;

  // One seek at a time: Chromium can stall playback for good when seeks overlap (a click while
  // the previous click's seek is still running), so a seek asked for meanwhile waits for "seeked".
  var pending = null;

  function seek(seconds) {
    if (!isFinite(seconds)) { return; }
    highlight(seconds);
    if (player.seeking) { pending = seconds; return; }
    player.currentTime = seconds;
  }

  player.addEventListener("seeked", function () {
    if (pending === null) { return; }
    var next = pending;
    pending = null;
    player.currentTime = next;
  });

  // The last word starting at or before t, if t is inside it.
  function wordAt(t) {
    var lo = 0, hi = starts.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (starts[mid] <= t) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found >= 0 && t < Math.max(ends[found], starts[found] + 0.001) ? timed[found] : null;
  }

  function visible(el) {
    var box = el.getBoundingClientRect();
    var top = document.querySelector("header.bar").getBoundingClientRect().bottom;
    return box.top >= top && box.bottom <= window.innerHeight;
  }

  function highlight(t) {
    var el = wordAt(t === undefined ? player.currentTime : t);
    if (el === current) { return; }
    if (current) { current.classList.remove("current"); }
    if (el) {
      el.classList.add("current");
      if (follow && follow.checked && !player.paused && !visible(el)) {
        el.scrollIntoView({ block: "center" });
      }
    }
    current = el;
  }

  function tick() {
    highlight();
    if (!player.paused) { window.requestAnimationFrame(tick); }
  }

  document.addEventListener("click", function (event) {
    var target = event.target.closest(".w, [data-seek]");
    if (!target) { return; }
    var at = target.getAttribute("data-start") || target.getAttribute("data-seek");
    if (at === null) { return; }
    seek(parseFloat(at));
    var word = target.classList.contains("w") ? target : null;
    var href = target.getAttribute("href");
    if (!word && href && href.charAt(0) === "#") { word = document.getElementById(href.slice(1)); }
    if (word) {
      word.classList.add("flash");
      window.setTimeout(function () { word.classList.remove("flash"); }, 1200);
    }
  });

  ["timeupdate", "seeked", "seeking", "pause"].forEach(function (name) {
    player.addEventListener(name, function () { highlight(); });
  });
  player.addEventListener("play", function () { window.requestAnimationFrame(tick); });
})();
