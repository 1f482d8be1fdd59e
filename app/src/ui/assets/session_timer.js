// The idle time-out, announced (RGAA 13.1): two minutes before the session ends, the page opens its alert dialog
// (focus moved in, kept inside, Escape = stay); « Rester connecté » asks the server, which slides the deadline, and
// the time shown next to « Prolonger la session » follows. Without JavaScript that button posts the same request.
// Time is counted on this computer's clock from the duration the server gives, never against the server's clock.
(() => {
  const timer = document.querySelector("[data-session-remaining]");
  const dialog = document.getElementById("session-warning");
  if (!timer || !dialog) return;
  const warning = Number(timer.dataset.sessionWarning) * 1000;
  const shown = document.querySelectorAll("[data-session-until]");
  const stay = dialog.querySelector("[data-session-keep]");
  let deadline = Date.now() + Number(timer.dataset.sessionRemaining) * 1000;
  let before = null;
  let pending = null;
  const close = () => {
    dialog.hidden = true;
    if (before && document.contains(before)) before.focus();
  };
  const schedule = () => {
    clearTimeout(pending);
    pending = setTimeout(open, Math.max(0, deadline - warning - Date.now()));
  };
  const open = () => {
    if (!dialog.hidden) return;
    before = document.activeElement;
    dialog.hidden = false;
    stay.focus();
  };
  const keep = async () => {
    try {
      const answer = await fetch("/api/keep_session", {
        method: "POST",
        headers: { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
        body: "",
      });
      if (!answer.ok) throw new Error(String(answer.status));
      const kept = await answer.json();
      deadline = Date.now() + Number(kept.remaining_seconds) * 1000;
      for (const place of shown) place.textContent = kept.until;
      close();
      schedule();
    } catch {
      // Signed out meanwhile, or the network is down: the form's own post says why.
      timer.querySelector("form").submit();
    }
  };
  stay.addEventListener("click", keep);
  dialog.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      keep();
    } else if (event.key === "Tab") {
      const focusable = dialog.querySelectorAll("button");
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
  });
  schedule();
})();
