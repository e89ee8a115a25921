// One person on a call in the detail panel: who (agent or guest), what they are doing, and buttons that act on their
// own leg — each saying what it does. Server text goes in through textContent only.
import { legName, stateText } from "./call-format.js";

export function participantItem(leg, room, { busy, mute, hold, remove }) {
  const item = document.createElement("li");
  item.dataset.legSid = leg.callSid;
  const who = document.createElement("span");
  who.className = "who";
  who.textContent = `${legName(leg)} (${leg.agent ? "agent" : "guest"})`;
  const what = document.createElement("span");
  what.className = "badge participant-state";
  what.dataset.state = leg.state || "";
  what.textContent = stateText(leg) + (leg.muted ? ", muted" : "");
  const buttons = document.createElement("span");
  buttons.className = "participant-buttons";
  const name = legName(leg);
  buttons.append(
    button(leg.muted ? "Unmute" : "Mute", leg.muted ? `Unmute ${name}` : `Mute ${name}`, mute, busy),
    button(leg.onHold ? "Resume" : "Hold", leg.onHold ? `Take ${name} off hold` : `Put ${name} on hold`, hold, busy));
  if (room) buttons.append(button("Remove", `Remove ${name} from room ${room} (hangs up their leg)`, remove, busy, "danger"));
  item.append(who, what, buttons);
  return item;
}

function button(text, label, onClick, disabled, className = "secondary") {
  const b = document.createElement("button");
  b.type = "button";
  b.className = className;
  b.textContent = text;
  b.setAttribute("aria-label", label);
  b.title = label;
  b.disabled = disabled;
  b.addEventListener("click", onClick);
  return b;
}
