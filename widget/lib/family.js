// The family's care network on the parent's device (docs/care-network.md): the family id and this
// device's family key, and the calls to the Kindband server that use them.
//
// The key is 32 random bytes made here; it only ever leaves the device in an `Authorization: Bearer`
// header (never in a URL or a body). Nothing is asked of the server until the parent does something
// (opens the network or share screen, confirms an invitation, types a code).

/** The consent text version a parent agrees to when adding an organisation to the network. */
export const NETWORK_CONSENT_VERSION = "2026-11-v1";
export const FAMILY_ROLES = ["mother", "partner"];

/** An error answer of the server: `status` (HTTP), `code` (e.g. "invalid_code") and its message. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code || `HTTP ${status}`);
    this.status = status;
    this.code = code || null;
  }
}

/** A new family key: 32 random bytes, base64url without padding. */
export function newFamilyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** One JSON call to the API at `endpoint` (".../api/v1/"); resolves to the answer's JSON. */
export async function callApi(endpoint, method, path, { key, body } = {}) {
  const headers = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (key) headers.Authorization = `Bearer ${key}`;
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
    throw new ApiError(0, "offline", null);
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

  call(endpoint, method, path, body) {
    const family = this.saved;
    if (!family) return Promise.reject(new ApiError(0, "no_family", null));
    return callApi(endpoint, method, path, { key: family.key, body });
  }

  /**
   * Creates the family on the server. The id and key are kept on the device before the request, so
   * a retry after a lost reply sends the same id and key (the server answers 200).
   */
  async create(endpoint, role) {
    let family = this.saved;
    if (family?.created) return family;
    if (!family) {
      family = { family_id: crypto.randomUUID(), key: newFamilyKey(), role, created: false };
      this.storage.saveFamily(family);
    }
    await callApi(endpoint, "POST", "families", {
      key: family.key,
      body: { family_id: family.family_id, role: family.role },
    });
    family = { ...family, created: true };
    this.storage.saveFamily(family);
    this.changed();
    return family;
  }

  /** Joins a family with the partner's pairing code (kind "join") or a recovery code ("recover"). */
  async joinWithCode(endpoint, kind, code, role) {
    const key = newFamilyKey();
    const body =
      kind === "recover"
        ? { recovery_code: code }
        : { pairing_code: code, role: role || "partner" };
    const answer = await callApi(
      endpoint,
      "POST",
      kind === "recover" ? "families/recover" : "families/join",
      { key, body },
    );
    this.storage.saveFamily({
      family_id: answer.family_id,
      key,
      role: answer.parent?.role || role,
      created: true,
    });
    this.view = null;
    this.changed();
    return answer;
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

  addMember(endpoint, organisation, invitationCode) {
    const body = { organisation, consent_version: NETWORK_CONSENT_VERSION };
    if (invitationCode) body.invitation_code = invitationCode;
    return this.call(endpoint, "POST", "family/memberships", body);
  }

  removeMember(endpoint, organisation) {
    return this.call(endpoint, "DELETE", `family/memberships/${encodeURIComponent(organisation)}`);
  }

  pairingCode(endpoint) {
    return this.call(endpoint, "POST", "family/pairing-code", {});
  }

  recoveryCode(endpoint) {
    return this.call(endpoint, "POST", "family/recovery-code", {});
  }

  accessLog(endpoint) {
    return this.call(endpoint, "GET", "family/access-log");
  }

  /** Erases the family on the server, then forgets it here. */
  async erase(endpoint) {
    await this.call(endpoint, "DELETE", "family");
    this.forget();
  }

  // The calls that need no key, here too so that the care-network screens (a separate file) share
  // this page's directory cache.
  directory(endpoint, slug) {
    return fetchDirectory(endpoint, slug);
  }

  lookupInvitation(endpoint, code) {
    return lookupInvitation(endpoint, code);
  }

  /** Removes the family from this device only. */
  forget() {
    this.storage.clearFamily();
    this.view = null;
    this.changed();
  }
}

/** Looks up an invitation code (no key needed): {organisation, coalition, expires_at}. */
export function lookupInvitation(endpoint, code) {
  return callApi(endpoint, "POST", "invitations/lookup", { body: { code } });
}

/** The invitation code in the page's address (`#kindband-invite=CODE`), or null. */
export function invitationFromLocation(location) {
  const match = /(?:^#|&)kindband-invite=([A-Za-z0-9-]{4,40})(?:&|$)/.exec(location.hash || "");
  return match ? match[1].toUpperCase() : null;
}
