// One entry of a call's transfer history: what was done, its state, the platform's reason, and on demand
// every CallAPI request and answer (GET /transfers/{id}). Server text goes in through textContent only.
import { api } from "./agent-api.js";

const MODE_NAMES = {
  cold: "Cold transfer", conference: "Conference", invite: "Invite", hangup: "Hang up", mute: "Mute change",
  hold: "Hold", unhold: "Resume", warm: "Warm transfer", complete: "Warm transfer completed", cancel: "Warm transfer canceled",
  remove: "Remove from room", "end-room": "End room",
};
const OUTCOME_NAMES = { accepted: "ringing", connected: "connected", "not-connected": "NOT connected" };

export function historyItem(transfer, open) {
  const item = document.createElement("li");
  const summary = document.createElement("div");
  summary.className = "summary";
  const what = document.createElement("strong");
  what.textContent = MODE_NAMES[transfer.mode] || transfer.mode;
  const parts = [what];
  // One span per fact, and a real space between parts: the flex gap only looks like one, so copied text, screen
  // readers and textContent read "to carolroom support-42" without it (the space itself takes no room in a flex row).
  if (transfer.to) parts.push(fact(`to ${transfer.to}`));
  if (transfer.room) parts.push(fact(`room ${transfer.room}`));
  const badge = document.createElement("span");
  badge.className = "badge transfer-state";
  badge.dataset.state = transfer.state;
  badge.textContent = transfer.state;
  parts.push(badge);
  if (transfer.outcome) {
    const outcome = document.createElement("span");
    outcome.className = "badge transfer-outcome";
    outcome.dataset.outcome = transfer.outcome;
    outcome.textContent = OUTCOME_NAMES[transfer.outcome] + (transfer.outcomeDetail ? ` (${transfer.outcomeDetail})` : "");
    parts.push(outcome);
  }
  const when = document.createElement("time");
  when.className = "when";
  when.dateTime = transfer.createdAt;
  when.textContent = new Date(transfer.createdAt).toLocaleTimeString();
  parts.push(when);
  parts.forEach((part, i) => (i === 0 ? summary.append(part) : summary.append(" ", part)));
  item.append(summary);
  if (transfer.failureReason) {
    const reason = document.createElement("p");
    reason.className = "reason";
    reason.textContent = transfer.failureReason;
    item.append(reason);
  }
  item.append(requestDetails(transfer, open));
  return item;
}

function fact(text) {
  const span = document.createElement("span");
  span.textContent = text;
  return span;
}

/** The CallAPI exchange of one transfer, fetched fresh from GET /transfers/{id} when opened. */
function requestDetails(transfer, open) {
  const details = document.createElement("details");
  details.dataset.transferId = transfer.id;
  const summary = document.createElement("summary");
  summary.textContent = `CallAPI requests (${transfer.requests ? transfer.requests.length : 0})`;
  const list = document.createElement("ol");
  details.append(summary, list);
  const fill = (requests) => list.replaceChildren(...(requests || []).map((r) => {
    const li = document.createElement("li");
    const status = r.responseStatus == null ? "no answer" : `HTTP ${r.responseStatus}`;
    li.textContent = `${r.method} ${r.path.split("/Accounts/")[1] || r.path} → ${status} (${r.outcome}, ${Math.round(r.durationMs)} ms)`;
    return li;
  }));
  fill(transfer.requests);
  details.open = open;
  details.addEventListener("toggle", async () => {
    if (!details.open) return;
    const result = await api("GET", `/transfers/${encodeURIComponent(transfer.id)}`);
    if (result.ok && result.data) fill(result.data.requests);
  });
  return details;
}
