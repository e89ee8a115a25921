// How a call view (as GET /calls shows it) reads on screen.
import { serverNow } from "./agent-api.js";

const TERMINAL = new Set(["completed", "busy", "failed", "no-answer", "canceled", "not-found"]);

export const isEnded = (call) => TERMINAL.has(call.callStatus) || Boolean(call.endedAt);

export function callerText(call) {
  const from = call.from || "unknown caller";
  return call.callerName ? `${call.callerName} (${from})` : from;
}

/** Live calls tick from their first webhook; ended ones show the platform's CallDuration when it sent one. */
export function durationText(call) {
  let seconds;
  if (isEnded(call)) {
    seconds = call.duration ?? (call.endedAt ? (Date.parse(call.endedAt) - Date.parse(call.createdAt)) / 1000 : 0);
  } else {
    seconds = (serverNow() - Date.parse(call.createdAt)) / 1000;
  }
  seconds = Math.max(0, Math.floor(seconds));
  const h = Math.floor(seconds / 3600), m = Math.floor((seconds % 3600) / 60), s = seconds % 60;
  const two = (n) => String(n).padStart(2, "0");
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/** The room of the call's latest completed conference transfer, or null. */
export function conferenceRoom(call) {
  const rooms = (call.transfers || []).filter((t) => t.mode === "conference" && t.state === "completed" && t.room);
  return rooms.length ? rooms[rooms.length - 1].room : null;
}

export const byNewestFirst = (a, b) =>
  a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.callSid.localeCompare(b.callSid);
