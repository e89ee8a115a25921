// What the latest transfer of a call means for the caller, said plainly: the platform taking a transfer is not the
// target answering. Cold: ringing → connected / NOT connected. Warm: consulting → completed / canceled.

/** The latest cold or warm transfer of the call, or null. */
export function latestTransfer(call) {
  const transfers = (call.transfers || []).filter((t) => (t.mode === "cold" || t.mode === "warm") && t.state !== "failed");
  return transfers.length ? transfers[transfers.length - 1] : null;
}

/** { kind: "progress"|"success"|"error", text, consulting } for the banner, or null when there is nothing to say. */
export function outcomeOf(transfer) {
  if (!transfer) return null;
  const to = transfer.to || "the target";
  const why = transfer.outcomeDetail ? ` (${transfer.outcomeDetail})` : "";
  if (transfer.mode === "warm") {
    if (transfer.state === "consulting") {
      const ringing = transfer.outcome === "connected" ? `${to} answered: talk, then hand the caller over or cancel.` : `Ringing ${to}…`;
      return { kind: "progress", text: `Consulting ${to}: the caller is on hold. ${ringing}`, consulting: true };
    }
    if (transfer.state === "completed") return { kind: "success", text: `Warm transfer done: the caller is with ${to}.` };
    if (transfer.state === "canceled") return { kind: "error", text: `Warm transfer to ${to} canceled: ${transfer.failureReason || "the caller is back."}` };
    return null;
  }
  if (transfer.outcome === "connected") return { kind: "success", text: `${to} answered: the caller is talking with ${to}.` };
  if (transfer.outcome === "not-connected") {
    return { kind: "error", text: `NOT connected: ${to} did not answer${why}. The caller was not put through to ${to}.` };
  }
  if (transfer.outcome === "accepted") return { kind: "progress", text: `Transfer to ${to} accepted: ringing ${to}…` };
  return null;
}
