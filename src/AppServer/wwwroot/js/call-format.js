// How a call view (as GET /calls shows it) reads on screen.
import { serverNow } from "./agent-api.js";

const TERMINAL = new Set(["completed", "busy", "failed", "no-answer", "canceled", "not-found"]);

export const isEnded = (call) => TERMINAL.has(call.callStatus) || Boolean(call.endedAt) || call.state === "ended";

export function callerText(call) {
  const from = call.from || "unknown caller";
  return call.callerName ? `${call.callerName} (${from})` : from;
}

const STATE_NAMES = { talking: "talking", ringing: "ringing", "on-hold": "on hold", waiting: "waiting", ended: "ended" };

/** What the call is doing: talking, ringing, on hold, waiting (alone in a room); an ended call shows its final status. */
export function stateText(call) {
  if (isEnded(call)) return call.callStatus || call.status || "ended";
  return STATE_NAMES[call.state] || call.state || call.callStatus || "unknown";
}

function clock(seconds) {
  seconds = Math.max(0, Math.floor(seconds));
  const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
  const two = (n) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/**
 * A live call times what it is doing now — the talk since the agent answered, the ringing, the hold — not the row's
 * age; an ended one shows the platform's CallDuration when it sent one.
 */
export function durationText(call) {
  if (isEnded(call)) {
    return clock(call.duration ?? (call.endedAt ? (Date.parse(call.endedAt) - Date.parse(call.createdAt)) / 1000 : 0));
  }
  const since = call.talkingSince || call.answeredAt || call.createdAt;
  return clock((serverNow() - Date.parse(since)) / 1000);
}

/** A leg in a roster or under its call: the agent's name, else the address it rang. */
export function legName(leg) {
  return leg.agent || leg.to || leg.callSid;
}

/** The room the call is in now (its room membership as AppServer tracks it), or null. */
export function conferenceRoom(call) {
  return call.room || null;
}

/** The legs serving a call that are still up, in the order they were created. */
export const liveLegs = (call) => (call.legs || []).filter((leg) => leg.state !== "ended");

export const byNewestFirst = (a, b) =>
  a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.callSid.localeCompare(b.callSid);
