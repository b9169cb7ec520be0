// Sharing with the organisation's Kindband server (docs/share-api.md), with an offline queue.
//
// A share is stored on this device first (with its body, byte for byte), then sent. If sending fails
// for lack of a connection or a server error, it stays queued and is sent again when the browser comes
// back online, on the next page load, or after a back-off. The share id (crypto.randomUUID) and body
// never change between tries, and the server answers a repeated identical share with the same receipt:
// a retry can never create a second share. Once the server has acknowledged a share, the body is
// removed from the device and only the receipt (id, secret, state) is kept.

export const CONSENT_VERSION = "2026-11-v1";
const RETRY_DELAYS_MS = [2000, 5000, 15000, 30000, 60000];

/** The API base URL for a `server` attribute ("/" or "https://kindband.example.nl/"), or null. */
export function apiBase(serverAttribute, baseUri) {
  if (serverAttribute === null || serverAttribute === undefined) return null;
  const url = new URL(serverAttribute || "/", baseUri);
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return new URL("api/v1/", url).href;
}

/**
 * The share request body (docs/share-api.md). `shared` is "result" or "result_and_answers";
 * answers are only included in the latter. Contact fields and message only when filled in.
 * A share linked to the family (docs/care-network.md) has `family_id` and `recipients` instead of
 * `organisation`, and `later_members` / `show_to_family` when the parent allowed them.
 */
export function buildPayload({
  organisation,
  family_id,
  recipients,
  later_members,
  show_to_family,
  instrument,
  context,
  language,
  shared,
  result,
  answers,
  contact,
  message,
}) {
  const payload = {
    share_id: crypto.randomUUID(),
    ...(family_id ? { family_id, recipients: [...recipients] } : { organisation }),
    // Sent only when the parent ticked them (the server's default is no).
    ...(family_id && later_members ? { later_members: true } : {}),
    ...(family_id && show_to_family ? { show_to_family: true } : {}),
    instrument: { id: instrument.id, version: instrument.version },
    context,
    language,
    shared,
    result,
  };
  if (shared === "result_and_answers")
    payload.answers = answers.map((a) => (a === undefined ? null : a));
  const filled = Object.fromEntries(
    Object.entries(contact || {})
      .map(([key, value]) => [key, String(value).trim()])
      .filter(([, value]) => value !== ""),
  );
  if (Object.keys(filled).length) payload.contact = filled;
  if (message && message.trim()) payload.message = message.trim();
  payload.consent_version = CONSENT_VERSION;
  payload.created_at = new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
  return payload;
}

const embedChecks = new Map(); // endpoint + slug -> promise

/**
 * May this page share with `slug`? The server's public embedding check (docs/share-api.md):
 * {allowed, reason, message}; null when it cannot be asked (offline: the share is queued as ever).
 */
export function checkEmbedding(endpoint, slug) {
  const key = endpoint + "\n" + slug;
  if (!embedChecks.has(key)) {
    const query = new URLSearchParams({ org: slug, origin: window.location.origin });
    const answer = fetch(`${endpoint}embed-check?${query}`, {
      credentials: "omit",
      cache: "no-store",
      referrerPolicy: "no-referrer",
    })
      .then((response) => (response.ok ? response.json() : null))
      .catch(() => null)
      .then((body) => {
        if (!body) embedChecks.delete(key); // ask again next time
        return body;
      });
    embedChecks.set(key, answer);
  }
  return embedChecks.get(key);
}

async function errorMessage(response) {
  try {
    const body = await response.json();
    return body.message || body.error || `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

/**
 * The shares made on this device: queue + receipts. One per page (shared by all widgets).
 * `familyKey(familyId)` gives the family key for a linked share (sent as `Authorization: Bearer`,
 * looked up at each try so that it is never stored with the share), or null.
 */
export class ShareQueue extends EventTarget {
  constructor(storage, { familyKey = () => null } = {}) {
    super();
    this.storage = storage;
    this.familyKey = familyKey;
    this.memory = storage.loadShares(); // used as-is when the device cannot store
    this.sending = new Set();
    this.retryIndex = 0;
    this.retryTimer = null;
    window.addEventListener("online", () => this.flush());
  }

  list() {
    if (this.storage.local) this.memory = this.storage.loadShares();
    return this.memory;
  }

  get(shareId) {
    return this.list().find((record) => record.share_id === shareId) || null;
  }

  update(shareId, changes) {
    const list = this.list().map((record) =>
      record.share_id === shareId ? { ...record, ...changes } : record,
    );
    this.memory = list;
    this.storage.saveShares(list);
    this.dispatchEvent(new CustomEvent("change", { detail: { share_id: shareId, ...changes } }));
  }

  /** Stores the share on the device, then tries to send it. Returns the stored record. */
  enqueue(endpoint, payload, summary) {
    const record = {
      share_id: payload.share_id,
      endpoint,
      organisation: payload.organisation ?? null,
      family_id: payload.family_id ?? null,
      recipients: payload.recipients ?? null,
      instrument_id: payload.instrument.id,
      instrument_name: summary.instrument_name,
      completion: summary.completion ?? null, // which result on this device (never sent)
      // What the parent read before sending: who, and when someone looks (issue 14).
      recipient_names: summary.recipient_names ?? null,
      response_times: summary.response_times ?? null,
      shared: payload.shared,
      created_at: payload.created_at,
      body: JSON.stringify(payload),
      state: "queued",
    };
    this.memory = [...this.list(), record];
    this.storage.saveShares(this.memory);
    this.flush();
    return record;
  }

  clearMemory() {
    this.memory = [];
    clearTimeout(this.retryTimer);
  }

  /** Sends every queued share. Safe to call often: a share is never sent twice at the same time. */
  async flush() {
    const queued = this.list().filter(
      (record) => (record.state === "queued" || record.state === "sending") && record.body,
    );
    await Promise.all(queued.map((record) => this.send(record)));
    const left = this.list().some(
      (record) => record.state === "queued" || record.state === "sending",
    );
    clearTimeout(this.retryTimer);
    if (left) {
      const delay = RETRY_DELAYS_MS[Math.min(this.retryIndex, RETRY_DELAYS_MS.length - 1)];
      this.retryIndex += 1;
      this.retryTimer = setTimeout(() => this.flush(), delay);
    } else {
      this.retryIndex = 0;
    }
  }

  async send(record) {
    if (this.sending.has(record.share_id)) return;
    this.sending.add(record.share_id);
    try {
      if (navigator.onLine === false) return this.update(record.share_id, { state: "queued" });
      const headers = { "Content-Type": "application/json" };
      if (record.family_id) {
        const key = this.familyKey(record.family_id);
        if (!key) {
          // The family was removed from this device: nothing can prove this share belongs to it.
          return this.update(record.share_id, {
            state: "failed",
            error: "family_not_on_this_device",
            body: undefined,
          });
        }
        headers.Authorization = `Bearer ${key}`;
      }
      this.update(record.share_id, { state: "sending" }); // left "sending" by a closed page: retried
      const response = await fetch(record.endpoint + "shares", {
        method: "POST",
        headers,
        body: record.body,
        credentials: "omit",
        cache: "no-store",
        referrerPolicy: "no-referrer",
      });
      if (response.status === 200 || response.status === 201) {
        const body = await response.json();
        // Acknowledged and durably stored: the body leaves the device, the receipt stays.
        this.update(record.share_id, {
          state: body.status || "received",
          receipt: body.receipt,
          body: undefined,
        });
      } else if (response.status >= 500 || response.status === 429 || response.status === 408) {
        this.update(record.share_id, { state: "queued", error: await errorMessage(response) });
      } else {
        // The server refused this share (e.g. 409, 422): retrying the same body cannot help.
        this.update(record.share_id, {
          state: "failed",
          error: await errorMessage(response),
          body: undefined,
        });
      }
    } catch {
      // No connection (or the server is unreachable): queued again, sent later.
      this.update(record.share_id, { state: "queued" });
    } finally {
      this.sending.delete(record.share_id);
    }
  }

  /** Asks the server for the state of a share; returns the updated record. */
  async refreshStatus(shareId) {
    const record = this.get(shareId);
    if (!record || !record.receipt) return record;
    const response = await fetch(`${record.endpoint}shares/${encodeURIComponent(shareId)}/status`, {
      headers: { Authorization: `Bearer ${record.receipt}` },
      credentials: "omit",
      cache: "no-store",
      referrerPolicy: "no-referrer",
    });
    if (!response.ok) throw new Error(await errorMessage(response));
    const body = await response.json();
    this.update(shareId, {
      state: body.status,
      seen_by_role: body.seen_by_role || null,
      case: body.case || null,
    });
    return this.get(shareId);
  }

  /** Withdraws a share: the server erases its payload. A share still queued is simply dropped. */
  async withdraw(shareId) {
    const record = this.get(shareId);
    if (!record) return null;
    if (!record.receipt) {
      if (this.sending.has(shareId)) throw new Error("busy sending, try again in a moment");
      this.update(shareId, { state: "withdrawn", body: undefined });
      return this.get(shareId);
    }
    const response = await fetch(`${record.endpoint}shares/${encodeURIComponent(shareId)}`, {
      method: "DELETE",
      headers: { Authorization: `Bearer ${record.receipt}` },
      credentials: "omit",
      cache: "no-store",
      referrerPolicy: "no-referrer",
    });
    if (!response.ok) throw new Error(await errorMessage(response));
    this.update(shareId, { state: "withdrawn" });
    return this.get(shareId);
  }
}
