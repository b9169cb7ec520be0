// Each parent in control of their own data (docs/care-network.md, issue 21), the parents' side: who
// can see each of my shares now and adding an organisation to it (or to all of mine at once), for
// which parent each organisation is in the network, the notices the other parent's choices leave,
// this family's devices (name, revoke), and erasing the family or only my own data, with the one-off
// shares this device made before the family existed. Part of the lazily loaded care-network screens.
import { h, uid } from "../lib/dom.js";
import {
  button,
  confirmation,
  day,
  guarded,
  instrumentName,
  moment,
  problemLine,
  roleName,
  showNetwork,
  when,
} from "./network-parts.js";

const NOTICE_KINDS = [
  "organisation_removed",
  "device_revoked",
  "erase_requested",
  "parent_data_erased",
  "erase_cancelled",
];
const DEVICE_NAME_MAX = 40;
const FAMILY_NAME_MAX = 80;

const capital = (text) => text.charAt(0).toUpperCase() + text.slice(1);

/** The other parent's role. */
export const otherRole = (role) => (role === "partner" ? "mother" : "partner");

/** Is this network entry there for me? (Without `for`, an older answer: for both parents.) */
export const isForMe = (entry, me) => !Array.isArray(entry.for) || entry.for.includes(me.role);

// ---- notices ----

/** What the other parent's (or my other device's) choices did, in plain words; newest first. */
export function renderNotices(w, family, names) {
  const notices = (family.notices || []).filter((notice) => NOTICE_KINDS.includes(notice.kind));
  const request = family.erase_request;
  const mine = request && request.by === family.me?.role;
  if (!notices.length && !request) return null;
  return h(
    "section",
    { class: "kb-news", "data-kb": "notices", "aria-label": w.t("own_notices_title") },
    h("h3", {}, w.t("own_notices_title")),
    request
      ? h(
          "p",
          { "data-kb": "erase-request" },
          h(
            "strong",
            {},
            w.t(mine ? "own_erase_asked_me" : "own_erase_asked_other", {
              role: capital(roleName(w, request.by)),
              date: day(w, request.erase_after),
            }),
          ),
        )
      : null,
    notices.length
      ? h(
          "ul",
          { class: "kb-list" },
          [...notices]
            .sort((a, b) => String(b.at).localeCompare(String(a.at)))
            .map((notice) =>
              h(
                "li",
                { "data-notice": notice.kind },
                w.t(`own_notice_${notice.kind}`, {
                  when: when(w, notice.at),
                  role: roleName(w, notice.by),
                  org:
                    notice.organisation_name ||
                    names.get(notice.organisation) ||
                    notice.organisation ||
                    "?",
                }),
              ),
            ),
        )
      : null,
  );
}

// ---- organisations: for which parent, and all of my shares at once ----

/** "Er voor: de moeder en de partner" (only when the answer says). */
export function forLine(w, entry) {
  if (!Array.isArray(entry.for)) return null;
  const roles = entry.for.map((role) => roleName(w, role));
  return h(
    "p",
    { "data-kb": "for" },
    roles.length ? w.t("own_for", { roles: roles.join(w.t("own_and")) }) : w.t("own_for_none"),
  );
}

/** "Give {org} everything I shared earlier too", with its confirm step; null when nothing to add. */
export function addToAllMine(w, entry, family) {
  const missing = myShares(family).filter(
    (share) => !(share.audience || []).some((a) => a.organisation === entry.organisation),
  );
  if (!missing.length) return null;
  const add = confirmation(w, {
    text: w.t("own_all_confirm", { org: entry.name, count: missing.length }),
    yes: w.t("own_all_yes"),
    danger: false,
    onYes: async () => {
      const answer = await w.family.addToAllMyShares(w.endpoint, entry.organisation);
      showNetwork(w, w.t("own_all_done", { org: entry.name, count: answer?.added ?? 0 }));
    },
  });
  return [
    h(
      "div",
      { class: "kb-actions" },
      add.open(w.t("own_all"), "kb-secondary", {
        "aria-label": w.t("own_all_label", { org: entry.name }),
      }),
    ),
    add.box,
  ];
}

// ---- shares: who can see each now ----

const myShares = (family) =>
  (family.shares || []).filter((share) => share.mine ?? share.parent === family.me?.role);

/**
 * The family's shares: mine with who can see each now and a way to add an organisation to one;
 * the other parent's only when they showed it to the family (the server sends only those).
 */
export function renderShares(w, family, names, members, caseWords) {
  const shares = family.shares || [];
  if (!shares.length) return null;
  const me = family.me || {};
  return [
    h("h3", {}, w.t("net_shares_title")),
    h(
      "ul",
      { class: "kb-list", "data-kb": "family-shares" },
      shares.map((share) => {
        const mine = share.mine ?? share.parent === me.role;
        const audience = share.audience || null;
        const seeing = audience
          ? audience.map(
              (entry) => entry.name || names.get(entry.organisation) || entry.organisation,
            )
          : (share.recipients || []).map((slug) => names.get(slug) || slug);
        return h(
          "li",
          { "data-family-share": share.share_id },
          w.t("own_share_line", {
            instrument: instrumentName(w, share),
            role: mine ? w.t("own_me") : roleName(w, share.parent),
            moment: moment(w, share.context),
          }),
          // What happens with it, in the words of the receipt: only for this parent's own shares.
          mine && share.case ? [" ", caseWords(w, share.case)] : null,
          mine
            ? [
                h(
                  "p",
                  { "data-kb": "audience" },
                  seeing.length
                    ? w.t("own_sees_now", { names: seeing.join(", ") })
                    : w.t("own_sees_nobody"),
                ),
                share.later_members ? h("p", {}, w.t("own_later_yes")) : null,
                share.show_to_family ? h("p", {}, w.t("own_family_yes")) : null,
                addToShare(w, share, audience, members),
              ]
            : null,
        );
      }),
    ),
  ];
}

/** A choice of the network's organisations (there for me) that cannot see this share yet. */
function addToShare(w, share, audience, members) {
  if (!audience || share.status === "withdrawn") return null;
  const seeing = new Set(audience.map((entry) => entry.organisation));
  const options = members.filter((entry) => !seeing.has(entry.organisation));
  if (!options.length) return null;
  const id = uid("kb-add-to-share");
  const problem = problemLine();
  const select = h(
    "select",
    { id },
    options.map((entry) => h("option", { value: entry.organisation }, entry.name)),
  );
  return h(
    "form",
    {
      class: "kb-field",
      novalidate: true,
      onsubmit: guarded(w, problem, async () => {
        const org = options.find((entry) => entry.organisation === select.value);
        await w.family.widenShare(w.endpoint, share.share_id, { add: [select.value] });
        showNetwork(w, w.t("own_added_to_share", { org: org?.name || select.value }));
      }),
    },
    h("label", { for: id }, w.t("own_add_to_share", { instrument: instrumentName(w, share) })),
    select,
    problem,
    h(
      "button",
      { type: "submit", class: "kb-button kb-secondary" },
      w.t("own_add_to_share_button"),
    ),
  );
}

// ---- devices ----

/** The family's devices: mine can get a name, and be removed (with a confirm step). */
/** The family's name field, for starting a family (value: "" when left empty). */
export function familyNameField(w, value = "") {
  const id = uid("kb-family-name");
  const hint = uid("kb-family-name-hint");
  const input = h("input", {
    id,
    type: "text",
    maxlength: FAMILY_NAME_MAX,
    autocomplete: "off",
    "aria-describedby": hint,
    value,
  });
  return {
    element: h(
      "div",
      { class: "kb-field" },
      h("label", { for: id }, w.t("fam_name_label")),
      h("p", { id: hint, class: "kb-hint" }, w.t("fam_name_hint")),
      input,
    ),
    value: () => input.value.trim(),
  };
}

/** How the network sees the family: its name, changed or cleared by either parent. */
export function renderFamilyName(w, family) {
  const problem = problemLine();
  const field = familyNameField(w, family.name || "");
  return h(
    "section",
    { class: "kb-card", "aria-label": w.t("fam_name_title"), "data-kb": "family-name" },
    h("h3", {}, w.t("fam_name_title")),
    h("p", {}, family.name ? w.t("fam_name_current", { name: family.name }) : w.t("fam_name_none")),
    h(
      "form",
      {
        novalidate: true,
        onsubmit: guarded(w, problem, async () => {
          const name = field.value();
          await w.family.nameFamily(w.endpoint, name);
          showNetwork(w, w.t(name ? "fam_name_saved" : "fam_name_cleared"));
        }),
      },
      field.element,
      problem,
      h("button", { type: "submit", class: "kb-button kb-secondary" }, w.t("fam_name_save")),
    ),
  );
}

export function renderDevices(w, devices) {
  if (!devices) return null;
  return h(
    "section",
    { class: "kb-card", "aria-label": w.t("own_devices_title"), "data-kb": "devices" },
    h("h3", {}, w.t("own_devices_title")),
    h("p", {}, w.t("own_devices_intro")),
    devices.map((device) => renderDevice(w, device)),
  );
}

function renderDevice(w, device) {
  const name = device.name || w.t("own_device_unnamed");
  const revoke = confirmation(w, {
    text: w.t("own_device_revoke_confirm", { name }),
    yes: w.t("own_device_revoke_yes"),
    onYes: async () => {
      await w.family.revokeDevice(w.endpoint, device.id);
      showNetwork(w, w.t("own_device_revoked", { name }));
    },
  });
  const id = uid("kb-device-name");
  const problem = problemLine();
  const input = h("input", {
    id,
    type: "text",
    maxlength: DEVICE_NAME_MAX,
    autocomplete: "off",
    value: device.name || "",
  });
  return h(
    "div",
    { class: "kb-device", "data-device": device.id },
    h("h4", {}, name, device.me ? ` (${w.t("own_device_this")})` : ""),
    h(
      "p",
      {},
      w.t("own_device_facts", {
        role: roleName(w, device.role),
        added: day(w, device.added_at),
        used: device.last_used_at ? day(w, device.last_used_at) : "—",
      }),
    ),
    device.mine
      ? [
          h(
            "form",
            {
              class: "kb-field",
              novalidate: true,
              onsubmit: guarded(w, problem, async () => {
                const value = input.value.trim();
                if (!value) throw new Error(w.t("own_device_name_empty"));
                await w.family.nameDevice(w.endpoint, device.id, value);
                showNetwork(w, w.t("own_device_named", { name: value }));
              }),
            },
            h("label", { for: id }, w.t("own_device_name")),
            input,
            problem,
            h(
              "button",
              { type: "submit", class: "kb-button kb-secondary" },
              w.t("own_device_name_save"),
            ),
          ),
          device.me
            ? null
            : [
                h(
                  "div",
                  { class: "kb-actions" },
                  revoke.open(w.t("own_device_revoke"), "kb-danger", {
                    "aria-label": w.t("own_device_revoke_label", { name }),
                  }),
                ),
                revoke.box,
              ],
        ]
      : null,
  );
}

// ---- pairing: whom the code is for ----

/** "Who is this code for?": the other parent (while not in yet) or another device of mine. */
export function pairingFor(w, family) {
  const me = family.me?.role || w.family.saved?.role;
  const other = otherRole(me);
  const otherIn = (family.parents || []).some((parent) => parent.role === other);
  const choices = otherIn ? [me] : [other, me];
  let value = choices[0];
  const name = uid("kb-pair-for");
  return {
    value: () => value,
    element: h(
      "fieldset",
      { class: "kb-field" },
      h("legend", {}, w.t("own_pair_for")),
      choices.map((role) =>
        h(
          "label",
          { class: "kb-option" },
          h("input", {
            type: "radio",
            name,
            value: role,
            checked: role === value,
            onchange: () => {
              value = role;
            },
          }),
          h("span", {}, w.t(role === me ? "own_pair_mine" : "own_pair_other")),
        ),
      ),
    ),
  };
}

// ---- earlier one-off shares (issue 24) ----

/**
 * The one-off shares this device sent (with their receipts) that this parent was not asked about
 * yet, to an organisation that is now in the network for them: only those can go on the family's
 * page without anyone new seeing them.
 */
export function oneOffsToLink(w, family) {
  const asked = new Set(w.family.saved?.one_off_asked || []);
  const names = new Map(
    (family.network || [])
      .filter((entry) => entry.state === "active" && isForMe(entry, family.me || {}))
      .map((entry) => [entry.organisation, entry.name]),
  );
  return w.shares
    .list()
    .filter(
      (record) =>
        !record.family_id &&
        !record.linked_family &&
        record.receipt &&
        ["received", "seen"].includes(record.state) &&
        record.endpoint === w.endpoint &&
        names.has(record.organisation) &&
        !asked.has(record.share_id),
    )
    .map((record) => ({ record, org: names.get(record.organisation) }));
}

/** Asked once per share on this device: never again after "ja" or "nee". */
function noteAsked(w, ids) {
  const saved = w.family.saved;
  if (!saved) return;
  const asked = new Set([...(saved.one_off_asked || []), ...ids]);
  w.storage.saveFamily({ ...saved, one_off_asked: [...asked] });
}

/**
 * "Put what you shared before on your family's page?" once the family is on this device and an
 * organisation that received a one-off share from it is in the network. Nothing happens until the
 * parent says yes (the default is: not linked); the audience of each share stays as it was.
 */
export function renderOneOffLink(w, family) {
  const items = oneOffsToLink(w, family);
  if (!items.length) return null;
  const titleId = uid("kb-one-off-title");
  const problem = problemLine();
  const ids = items.map(({ record }) => record.share_id);
  return h(
    "section",
    { class: "kb-shown", "aria-labelledby": titleId, "data-kb": "one-off-link" },
    h("h3", { id: titleId }, w.t("own_link_title")),
    h("p", {}, w.t("own_link_intro")),
    h(
      "ul",
      { class: "kb-list" },
      items.map(({ record, org }) =>
        h(
          "li",
          { "data-one-off": record.share_id },
          w.t("own_one_off_line", {
            instrument: record.instrument_name || record.instrument_id,
            date: day(w, record.created_at),
            org, // its name in the network (the device may have kept only its id)
          }),
        ),
      ),
    ),
    h("p", {}, w.t("own_link_question")),
    h("p", {}, w.t("own_link_who")),
    problem,
    h(
      "div",
      { class: "kb-actions" },
      button(
        w.t("own_link_yes"),
        guarded(w, problem, async () => {
          const answer = await w.family.linkOneOff(
            w.endpoint,
            items.map(({ record }) => ({ share_id: record.share_id, receipt: record.receipt })),
          );
          const familyId = w.family.saved?.family_id;
          for (const id of [...(answer?.linked || []), ...(answer?.already_linked || [])])
            w.shares.update(id, { linked_family: familyId });
          noteAsked(w, ids);
          showNetwork(w, w.t("own_link_done", { count: ids.length }));
        }),
      ),
      button(
        w.t("own_link_no"),
        () => {
          noteAsked(w, ids);
          w.render();
        },
        "kb-secondary",
      ),
    ),
  );
}

// ---- erasure ----

/** The one-off shares this device made (their receipts prove they are mine), for an erasure. */
export function oneOffReceipts(w) {
  return w.shares
    .list()
    .filter((record) => !record.family_id && record.receipt && record.state !== "withdrawn")
    .map((record) => ({ share_id: record.share_id, receipt: record.receipt }));
}

/** After an erasure: the one-off shares it erased are marked on this device; the report to show. */
function eraseReport(w, answer, names) {
  const oneOff = answer?.one_off || { erased: [], not_reached: [] };
  for (const id of oneOff.erased || []) w.shares.update(id, { state: "withdrawn" });
  // Words only: an organisation by its name (as the device kept it, else as the network named it);
  // never an id or a slug on the parent's screen.
  const describe = (id) => {
    const record = w.shares.get(id);
    return record
      ? w.t("own_one_off_line", {
          instrument: record.instrument_name || record.instrument_id,
          date: day(w, record.created_at),
          org:
            record.recipient_names ||
            names.get(record.organisation) ||
            w.t("own_one_off_org_unknown"),
        })
      : w.t("own_one_off_unknown");
  };
  return {
    erased: (oneOff.erased || []).map(describe),
    notReached: (oneOff.not_reached || []).map(describe),
  };
}

/** What an erasure did, on the network screen after it (w.state.eraseReport). */
export function renderEraseReport(w) {
  const report = w.state.eraseReport;
  if (!report) return null;
  return h(
    "div",
    { class: "kb-card", "data-kb": "erase-report" },
    report.erased.length
      ? [
          h("p", {}, w.t("own_one_off_erased")),
          h(
            "ul",
            { class: "kb-list" },
            report.erased.map((line) => h("li", {}, line)),
          ),
        ]
      : null,
    report.notReached.length
      ? [
          h("p", {}, w.t("own_one_off_not_reached")),
          h(
            "ul",
            { class: "kb-list" },
            report.notReached.map((line) => h("li", {}, line)),
          ),
        ]
      : null,
  );
}

function erased(w, answer, notice) {
  // The organisations' names as the network showed them, before that view is dropped.
  const names = new Map(
    (w.networkData?.family?.network || []).map((entry) => [entry.organisation, entry.name]),
  );
  w.networkData = null;
  w.go("network", {
    notice,
    eraseReport: eraseReport(w, answer, names),
    shownCode: null,
    invite: null,
    code: null,
  });
}

/**
 * "Remove our family" (with two parents: a request the other parent can answer, erased after the
 * notice period), "remove only my own data", and "not after all" for the parent who asked.
 */
export function renderErase(w, family) {
  const me = family.me?.role || w.family.saved?.role;
  const two = (family.parents || []).length > 1;
  const request = family.erase_request;
  const erase = confirmation(w, {
    // With two parents a request, unless the other parent asked already (then it is now).
    text: w.t(two && !request ? "own_erase_confirm_two" : "net_erase_confirm"),
    yes: w.t("net_erase_yes"),
    onYes: async () => {
      const answer = await w.family.erase(w.endpoint, oneOffReceipts(w));
      if (answer?.status === "erase_requested")
        return showNetwork(w, w.t("own_erase_requested", { date: day(w, answer.erase_after) }));
      erased(w, answer, w.t("net_erased"));
    },
  });
  const eraseMine = confirmation(w, {
    text: w.t("own_erase_me_confirm"),
    yes: w.t("own_erase_me_yes"),
    onYes: async () => {
      const answer = await w.family.erase(w.endpoint, oneOffReceipts(w), "family/me");
      erased(w, answer, w.t("own_erased_me"));
    },
  });
  const cancelProblem = problemLine();
  return h(
    "section",
    { class: "kb-card", "aria-label": w.t("net_erase_title") },
    h("h3", {}, w.t("net_erase_title")),
    h("p", {}, w.t(two ? "own_erase_intro_two" : "net_erase_intro")),
    h("p", {}, w.t("own_erase_one_off")),
    request?.by === me
      ? [
          h(
            "p",
            {},
            w.t("own_erase_asked_me", {
              role: roleName(w, me),
              date: day(w, request.erase_after),
            }),
          ),
          cancelProblem,
          h(
            "div",
            { class: "kb-actions" },
            button(
              w.t("own_erase_cancel"),
              guarded(w, cancelProblem, async () => {
                await w.family.cancelErase(w.endpoint);
                showNetwork(w, w.t("own_erase_cancelled"));
              }),
              "kb-secondary",
            ),
          ),
        ]
      : [
          h(
            "div",
            { class: "kb-actions" },
            erase.open(w.t(request ? "own_erase_now" : "net_erase"), "kb-danger"),
          ),
          erase.box,
        ],
    two
      ? [
          h("p", {}, w.t("own_erase_me_intro")),
          h("div", { class: "kb-actions" }, eraseMine.open(w.t("own_erase_me"), "kb-danger")),
          eraseMine.box,
        ]
      : null,
  );
}
