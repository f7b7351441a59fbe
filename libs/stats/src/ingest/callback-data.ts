/**
 * Dispatch sends `biz_opaque_callback_data = clarion:b<broadcastId>:r<recipientId>` so that a
 * status webhook can be tied to its recipient even before the wamid is written to the ledger.
 */
export function parseCallbackData(data: string | undefined): { broadcastId: number; recipientId: number } | undefined {
  if (!data) return undefined;
  const m = /^clarion:b(\d+):r(\d+)$/.exec(data);
  return m ? { broadcastId: Number(m[1]), recipientId: Number(m[2]) } : undefined;
}

export function callbackDataFor(broadcastId: number, recipientId: number): string {
  return `clarion:b${broadcastId}:r${recipientId}`;
}
