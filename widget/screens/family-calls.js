// The family's calls that only the care-network screens make (docs/care-network.md): start or join a
// family, add and remove organisations, pairing and recovery codes, devices, widen a share's
// audience, who looked, erase, look up an invitation. A separate file, fetched together with the care-network screens (kindband-screen.js,
// loadNetworkScreens), which then adds these calls to lib/family.js's FamilyDevice: a page load
// carries only what the share screen needs (the family on the device, GET /family, the directory).

/** The consent text version a parent agrees to when adding an organisation to the network. */
export const NETWORK_CONSENT_VERSION = "2026-11-v1";

/** A new family key: 32 random bytes, base64url without padding. */
export function newFamilyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * Adds the care-network calls to `FamilyDevice` (lib/family.js); `callApi` is that file's one JSON
 * call to the API. Called once, when the care-network screens have loaded.
 */
export function addFamilyCalls(FamilyDevice, callApi) {
  Object.assign(FamilyDevice.prototype, {
    /**
     * Creates the family on the server. The id and key are kept on the device before the request,
     * so a retry after a lost reply sends the same id and key (the server answers 200).
     */
    async create(endpoint, role, name = "") {
      let family = this.saved;
      if (family?.created) return family;
      if (!family) {
        family = {
          family_id: crypto.randomUUID(),
          key: newFamilyKey(),
          role,
          created: false,
        };
        this.storage.saveFamily(family);
      }
      await callApi(endpoint, "POST", "families", {
        key: family.key,
        body: { family_id: family.family_id, role: family.role, ...(name ? { name } : {}) },
      });
      family = { ...family, created: true };
      this.storage.saveFamily(family);
      this.changed();
      return family;
    },

    /**
     * Joins a family with a pairing code (kind "join": the code decides the role) or a recovery
     * code ("recover").
     */
    async joinWithCode(endpoint, kind, code) {
      const key = newFamilyKey();
      const body = kind === "recover" ? { recovery_code: code } : { pairing_code: code };
      const answer = await callApi(
        endpoint,
        "POST",
        kind === "recover" ? "families/recover" : "families/join",
        { key, body },
      );
      this.storage.saveFamily({
        family_id: answer.family_id,
        key,
        role: answer.parent?.role || null,
        created: true,
      });
      this.view = null;
      this.changed();
      return answer;
    },

    addMember(endpoint, organisation, invitationCode) {
      const body = { organisation, consent_version: NETWORK_CONSENT_VERSION };
      if (invitationCode) body.invitation_code = invitationCode;
      return this.call(endpoint, "POST", "family/memberships", body);
    },

    removeMember(endpoint, organisation) {
      return this.call(
        endpoint,
        "DELETE",
        `family/memberships/${encodeURIComponent(organisation)}`,
      );
    },

    /** A pairing code for a device of `role` ("mother" | "partner"): the code decides the role. */
    pairingCode(endpoint, role) {
      return this.call(endpoint, "POST", "family/pairing-code", role ? { role } : {});
    },

    devices(endpoint) {
      return this.call(endpoint, "GET", "family/devices");
    },

    /** How the network sees the family ("" clears the name). */
    nameFamily(endpoint, name) {
      return this.call(endpoint, "PATCH", "family", { name: name || null });
    },

    nameDevice(endpoint, id, name) {
      return this.call(endpoint, "PATCH", `family/devices/${encodeURIComponent(id)}`, { name });
    },

    revokeDevice(endpoint, id) {
      return this.call(endpoint, "DELETE", `family/devices/${encodeURIComponent(id)}`);
    },

    /** Adds organisations to one of my shares: {add: [slug]} (never takes one away). */
    widenShare(endpoint, shareId, changes) {
      return this.call(
        endpoint,
        "POST",
        `family/shares/${encodeURIComponent(shareId)}/audience`,
        changes,
      );
    },

    /**
     * Links one-off shares this device sent before (their receipts prove they are mine) to the
     * family as my own, for the same organisation only: {linked, already_linked}.
     */
    linkOneOff(endpoint, shares) {
      return this.call(endpoint, "POST", "family/shares/link", { shares });
    },

    /** A referral proposal with what its organisation would see on "ja" (`would_see`). */
    referral(endpoint, id) {
      return this.call(endpoint, "GET", `family/referrals/${encodeURIComponent(id)}`);
    },

    /** Gives an organisation every earlier share of mine: {organisation, added}. */
    addToAllMyShares(endpoint, organisation) {
      return this.call(endpoint, "POST", "family/audience", {
        add: organisation,
      });
    },

    recoveryCode(endpoint) {
      return this.call(endpoint, "POST", "family/recovery-code", {});
    },

    /** One page of "who looked"; `cursor` is the previous page's next_cursor. */
    accessLog(endpoint, cursor) {
      const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
      return this.call(endpoint, "GET", `family/access-log${query}`);
    },

    /**
     * Erases the family ("family") or only my own data ("family/me"), with the one-off shares made
     * on this device (their receipts prove they are mine). Forgets the family here once erased;
     * a family of two may answer {status: "erase_requested", erase_after} instead (kept).
     */
    async erase(endpoint, oneOff, path = "family") {
      const answer = await this.call(
        endpoint,
        "DELETE",
        path,
        oneOff.length ? { one_off: oneOff } : undefined,
      );
      if (answer?.status !== "erase_requested") this.forget();
      return answer;
    },

    cancelErase(endpoint) {
      return this.call(endpoint, "DELETE", "family/erase-request");
    },

    /** Looks up an invitation code (no key needed): {organisation, coalition, expires_at}. */
    lookupInvitation(endpoint, code) {
      return callApi(endpoint, "POST", "invitations/lookup", {
        body: { code },
      });
    },
  });
}
