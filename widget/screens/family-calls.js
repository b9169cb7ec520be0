// The family's calls that only the care-network screens make (docs/care-network.md): start or join a
// family, add and remove organisations, pairing and recovery codes, who looked, erase, look up an
// invitation. A separate file, fetched together with the care-network screens (kindband-screen.js,
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
    },

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

    pairingCode(endpoint) {
      return this.call(endpoint, "POST", "family/pairing-code", {});
    },

    recoveryCode(endpoint) {
      return this.call(endpoint, "POST", "family/recovery-code", {});
    },

    accessLog(endpoint) {
      return this.call(endpoint, "GET", "family/access-log");
    },

    /** Erases the family on the server, then forgets it here. */
    async erase(endpoint) {
      await this.call(endpoint, "DELETE", "family");
      this.forget();
    },

    /** Looks up an invitation code (no key needed): {organisation, coalition, expires_at}. */
    lookupInvitation(endpoint, code) {
      return callApi(endpoint, "POST", "invitations/lookup", { body: { code } });
    },
  });
}
