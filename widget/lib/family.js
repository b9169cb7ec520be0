// The family's care network on the parent's device (docs/care-network.md): the family id and this
// device's family key, and the calls to the Kindband server that a page needs before the care-network
// screens are opened (GET /family for the share screen, the public directory). The other calls
// (start, join, members, codes, erase) are in screens/family-calls.js, fetched with those screens.
//
// The key is 32 random bytes made on this device (family-calls.js); it only ever leaves the device in
// an `Authorization: Bearer` header (never in a URL or a body). Nothing is asked of the server until
// the parent does something (opens the network or share screen, confirms an invitation, types a code).

/** An error answer of the server: `status` (HTTP), `code` (e.g. "invalid_code") and its message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code || null;
  }
}

/** A fresh Idempotency-Key (docs/share-api.md, "Retries"). */
export function newRequestKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

const RETRY_DELAYS_MS = [400, 1500];

/**
 * One JSON call to the API at `endpoint` (".../api/v1/"); resolves to the answer's JSON. With
 * `requestKey` (a call that creates something) the key goes along as Idempotency-Key and the call is
 * sent again, with the same key, when no answer came or the server was briefly unavailable: the
 * server makes nothing twice.
 */
export async function callApi(endpoint, method, path, { key, body, requestKey } = {}) {
  const headers = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (key) headers.Authorization = `Bearer ${key}`;
  if (requestKey) headers["Idempotency-Key"] = requestKey;
  for (let attempt = 0; ; attempt++) {
    const retry = requestKey && attempt < RETRY_DELAYS_MS.length;
    let response;
    try {
      response = await fetch(endpoint + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "omit",
        cache: "no-store",
        referrerPolicy: "no-referrer",
      });
    } catch {
      if (retry) {
        await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]));
        continue;
      }
      throw new ApiError(0, "offline", null);
    }
    if (retry && [502, 503, 504].includes(response.status)) {
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]));
      continue;
    }
    let data = null;
    try {
      data = await response.json();
    } catch {
      data = null;
    }
    if (!response.ok) throw new ApiError(response.status, data?.error, data?.message);
    return data;
  }
}

const directories = new Map(); // endpoint + slug -> promise (the directory is public and cacheable)

/** The public directory entry of a coalition or an organisation; null when the server has none. */
export function fetchDirectory(endpoint, slug) {
  const cacheKey = endpoint + "\n" + slug;
  if (!directories.has(cacheKey)) {
    const answer = fetch(`${endpoint}directory/${encodeURIComponent(slug)}`, {
      credentials: "omit",
      referrerPolicy: "no-referrer",
    })
      .then((response) => (response.ok ? response.json() : null))
      .catch(() => {
        directories.delete(cacheKey); // offline: ask again next time
        return null;
      });
    directories.set(cacheKey, answer);
  }
  return directories.get(cacheKey);
}

/** The family on this device and the parent routes that need its key. One per page. */
export class FamilyDevice extends EventTarget {
  constructor(storage) {
    super();
    this.storage = storage;
    this.view = null; // the last GET /family answer
  }

  /** {family_id, key, role, created} or null. */
  get saved() {
    const family = this.storage.loadFamily();
    return family && family.family_id && family.key ? family : null;
  }

  get exists() {
    return Boolean(this.saved?.created);
  }

  /** The key for a family id (for linked shares), or null when that family is not on this device. */
  keyFor(familyId) {
    const family = this.saved;
    return family && family.family_id === familyId ? family.key : null;
  }

  changed() {
    this.dispatchEvent(new CustomEvent("change"));
  }

  call(endpoint, method, path, body, { requestKey } = {}) {
    const family = this.saved;
    if (!family) return Promise.reject(new ApiError(0, "no_family", null));
    return callApi(endpoint, method, path, { key: family.key, body, requestKey });
  }

  /** GET /family: the family as the parents see it (kept in `view`). */
  async load(endpoint) {
    this.view = await this.call(endpoint, "GET", "family");
    return this.view;
  }

  /** Active members of the network (from the last load). */
  get activeMembers() {
    return (this.view?.network || []).filter((entry) => entry.state === "active");
  }

  // Here too so that the care-network screens (a separate file) share this page's directory cache.
  directory(endpoint, slug) {
    return fetchDirectory(endpoint, slug);
  }

  /** Removes the family from this device only. */
  forget() {
    this.storage.clearFamily();
    this.view = null;
    this.changed();
  }
}

/** The invitation code in the page's address (`#kindband-invite=CODE`), or null. */
export function invitationFromLocation(location) {
  const match = /(?:^#|&)kindband-invite=([A-Za-z0-9-]{4,40})(?:&|$)/.exec(location.hash || "");
  return match ? match[1].toUpperCase() : null;
}
