// The family's care network, the parents' side (docs/care-network.md): start the family, let the
// partner join with a pairing code, restore it with a recovery code, accept an invitation, choose
// which organisations are in the network (each with its consent record in plain words), see who
// looked, devices, and remove the family or only my own data (network-own.js). Loaded as a separate file only when a parent opens one of these
// screens (kindband-screen.js); it reaches the server only through w.family (lib/family.js).
import { h, uid } from "../lib/dom.js";
import { TEXTS } from "./network-texts.js";
import {
  ROLES,
  backButton,
  button,
  confirmation,
  day,
  description,
  errorText,
  guarded,
  heading,
  instrumentName,
  moment,
  problemLine,
  roleName,
  showNetwork,
  typeName,
  when,
} from "./network-parts.js";
import {
  caseWords,
  professionalRole,
  checkNews,
  markMessagesSeen,
  renderAgreements,
  renderMessages,
  renderNews,
  renderProposals,
} from "./network-together.js";
import { loadMail, renderMail } from "./network-mail.js";
import { loadConversation, renderTriages } from "./network-triage.js";
import {
  addToAllMine,
  familyNameField,
  forLine,
  isForMe,
  pairingFor,
  renderDevices,
  renderFamilyName,
  renderErase,
  renderEraseReport,
  renderNotices,
  renderOneOffLink,
  renderShares,
} from "./network-own.js";

export const NETWORK_TEXTS = TEXTS;
// For the eagerly loaded screens, once this file is there: the receipt's case in words (receipts.js)
// and the family's news on the start screen (start.js).
export const shareCaseWords = caseWords;
export const checkForNews = checkNews;
export function renderStartNews(w) {
  adoptNetworkStyles(w.shadowRoot);
  return renderNews(w);
}

const css = `
.kb-code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 1.5em; font-weight: 700;
  letter-spacing: 0.08em; overflow-wrap: anywhere; margin: 0.2em 0 0.4em; }
.kb-shown { border: 2px solid var(--kindband-accent, #0b5cad); border-radius: 8px; padding: 0.6em 0.9em; margin: 0.6em 0; }
.kb-shown > h3:first-child { margin-top: 0.2em; }
.kb-shown:focus { outline: 3px solid var(--kindband-focus, #1a56db); outline-offset: 2px; }
.kb-consent { border: 2px solid var(--kindband-accent, #0b5cad); border-radius: 8px; padding: 0.6em 0.9em; margin-top: 0.5em; }
.kb-org-type { color: var(--kindband-muted, #4b5563); margin: 0 0 0.3em; }
.kb-list { list-style: disc; }
.kb-list li { margin: 0.3em 0; }
.kb-quote { margin: 0.3em 0 0.6em; padding: 0.3em 0.8em; border-left: 4px solid var(--kindband-border, #6b7280);
  white-space: pre-wrap; overflow-wrap: anywhere; }
.kb-facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 0.8em; margin: 0.4em 0; }
.kb-facts dt { font-weight: 600; }
.kb-facts dd { margin: 0; overflow-wrap: anywhere; }
.kb-stack dt { font-weight: 600; margin-top: 0.4em; }
.kb-stack dd { margin: 0; overflow-wrap: anywhere; }
.kb-comment, .kb-said { overflow-wrap: anywhere; }
.kb-said { font-weight: 600; }
.kb-messages { list-style: none; padding: 0; margin: 0.4em 0; }
.kb-message { border: 1px solid var(--kindband-border, #6b7280); border-radius: 8px; padding: 0.4em 0.8em; margin: 0.5em 0; }
.kb-message.kb-new { border: 2px solid var(--kindband-accent, #0b5cad); }
.kb-message p { margin: 0.2em 0; }
.kb-message-text { white-space: pre-wrap; overflow-wrap: anywhere; }
.kb-badge { display: inline-block; padding: 0 0.4em; border-radius: 4px; font-weight: 700;
  background: var(--kindband-accent, #0b5cad); color: var(--kindband-accent-text, #ffffff); }
.kb-news { border: 2px solid var(--kindband-accent, #0b5cad); border-radius: 8px; padding: 0.4em 0.9em; margin: 0.8em 0; }
.kb-news:focus { outline: 3px solid var(--kindband-focus, #1a56db); outline-offset: 2px; }
.kb-device { border-top: 1px solid var(--kindband-border, #6b7280); padding-top: 0.4em; margin-top: 0.6em; }
`;
let sheet = null;
function adoptNetworkStyles(shadowRoot) {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
  }
  if (!shadowRoot.adoptedStyleSheets.includes(sheet))
    shadowRoot.adoptedStyleSheets = [...shadowRoot.adoptedStyleSheets, sheet];
}

/** Renders one of the screens "network", "invite", "access-log". */
export function renderNetworkScreen(w, screen) {
  adoptNetworkStyles(w.shadowRoot);
  if (screen === "invite") return renderInvite(w);
  if (screen === "access-log") return renderAccessLog(w);
  return renderHome(w);
}

function rolePicker(w, preferred) {
  const name = uid("kb-role");
  let value = ROLES.includes(preferred) ? preferred : "mother";
  const element = h(
    "fieldset",
    { class: "kb-field" },
    h("legend", {}, w.t("net_role")),
    ROLES.map((role) =>
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
        h("span", {}, w.t(`net_role_${role}`)),
      ),
    ),
  );
  return { element, value: () => value };
}

function pageRole(w) {
  const role = w.getAttribute("parent-role");
  return ROLES.includes(role) ? role : null;
}

/** A form with one code field; `onCode(code)` does the work (its errors are shown). */
function codeForm(w, { label, action, onCode, extra = null }) {
  const id = uid("kb-code");
  const problem = problemLine();
  const input = h("input", {
    id,
    type: "text",
    autocomplete: "off",
    autocapitalize: "characters",
    spellcheck: "false",
    maxlength: 64,
    "aria-describedby": problem.id,
  });
  const run = guarded(w, problem, async () => {
    const code = input.value.trim().toUpperCase();
    if (!code) throw new Error(w.t("net_code_empty"));
    await onCode(code);
  });
  return h(
    "form",
    {
      class: "kb-card",
      novalidate: true,
      onsubmit: async (event) => {
        event.preventDefault();
        input.removeAttribute("aria-invalid");
        await run();
        if (!problem.hidden) {
          input.setAttribute("aria-invalid", "true");
          if (!input.value.trim()) problem.textContent = w.t("net_code_empty");
        }
      },
    },
    h("div", { class: "kb-field" }, h("label", { for: id }, label), input),
    extra?.element,
    problem,
    h("div", { class: "kb-actions" }, h("button", { type: "submit", class: "kb-button" }, action)),
  );
}

// ---- data ----

/** What the network screen shows, loaded when it opens: {status, family, familyError, directory}. */
function networkData(w) {
  if (w.networkData) return w.networkData;
  const data = {
    status: "loading",
    family: null,
    familyError: null,
    directory: null,
    conversations: null, // conversation id -> its file (the words of the triages), or null
    devices: null, // the family's devices (GET /family/devices), or null when not asked
    mail: null, // this parent's own notification address (GET /family/notifications), or null
    previews: new Map(), // open referral id -> what the organisation would see on "ja"
    seenBefore: 0, // the newest message shown before this load: newer ones are marked new
  };
  w.networkData = data;
  const endpoint = w.endpoint;
  (async () => {
    if (w.family.exists) {
      try {
        data.family = await w.family.load(endpoint);
        data.seenBefore = Number(w.family.saved?.seen_message_id) || 0;
        markMessagesSeen(w, data.family.messages);
        // The words of the recorded conversations (public files), only when there are any.
        const ids = [...new Set((data.family.triages || []).map((triage) => triage.conversation))];
        // What an open referral's organisation would see on "ja", asked before the parent answers.
        const open = (data.family.proposals || []).filter((p) => p.state === "proposed");
        const [files, previews, devices, mail] = await Promise.all([
          Promise.all(ids.map((id) => loadConversation(endpoint, id))),
          Promise.all(open.map((p) => w.family.referral(endpoint, p.id).catch(() => null))),
          data.family.devices
            ? { devices: data.family.devices }
            : w.family.devices(endpoint).catch(() => null),
          loadMail(w, endpoint),
        ]);
        data.mail = mail;
        data.conversations = new Map(ids.map((id, i) => [id, files[i]]));
        open.forEach((p, i) => previews[i] && data.previews.set(p.id, previews[i]));
        data.devices = devices?.devices || null;
      } catch (error) {
        data.familyError = error;
      }
    }
    let directory = w.organisation ? await w.family.directory(endpoint, w.organisation) : null;
    const coalition =
      data.family?.coalition?.slug ||
      (directory?.kind === "coalition" ? directory.coalition.slug : directory?.coalition?.slug);
    if (coalition && !(directory?.kind === "coalition" && directory.coalition.slug === coalition))
      directory = await w.family.directory(endpoint, coalition);
    data.directory = directory;
  })().finally(() => {
    data.status = "ready";
    // The question "is this your own phone?" is the next step: the focus goes there.
    if (w.state.screen === "network" && !data.familyError && keepStep(w)) w.moveFocus = true;
    if (w.networkData === data && ["network", "access-log"].includes(w.state.screen)) w.render();
  });
  return data;
}

// ---- the network screen ----

function renderHome(w) {
  const data = networkData(w);
  const shown = w.state.shownCode;
  // The question "is this your own phone?" takes the focus instead, once it is there.
  const keepFirst = data.status === "ready" && !data.familyError && keepStep(w);
  const top = [
    heading(w, "net_title", !shown && !keepFirst),
    w.state.notice ? h("p", { role: "status" }, w.state.notice) : null,
  ];
  if (data.status === "loading") return [top, h("p", { role: "status" }, w.t("network_loading"))];
  if (data.familyError?.status === 401) {
    return [
      top,
      h("p", { role: "alert" }, w.t("net_family_gone")),
      h(
        "div",
        { class: "kb-actions" },
        button(w.t("net_forget"), () => {
          w.family.forget();
          showNetwork(w, null);
        }),
      ),
      backButton(w),
    ];
  }
  if (data.familyError)
    return [
      top,
      h("p", { class: "kb-error", role: "alert" }, errorText(w, data.familyError)),
      backButton(w),
    ];
  return [
    top,
    renderEraseReport(w),
    w.family.exists ? renderFamily(w, data) : renderNoFamily(w, data),
    backButton(w),
  ];
}

function coalitionOf(directory) {
  if (!directory) return null;
  return directory.kind === "coalition" ? directory.coalition : directory.coalition || null;
}

function renderNoFamily(w, data) {
  const coalition = coalitionOf(data.directory);
  const organisations = coalition ? data.directory.organisations || [] : [];
  const role = rolePicker(w, pageRole(w) || "mother");
  const name = familyNameField(w);
  const problem = problemLine();
  return [
    h("p", {}, w.t("net_intro")),
    h("p", {}, w.t("net_no_names")),
    coalition
      ? [
          h("p", {}, w.t("net_coalition_members", { coalition: coalition.name })),
          h(
            "ul",
            { class: "kb-list" },
            organisations.map((org) => h("li", {}, `${org.name} (${typeName(w, org.type)})`)),
          ),
        ]
      : h("p", { class: "kb-hint" }, w.t("net_no_coalition")),
    h(
      "form",
      {
        class: "kb-card",
        novalidate: true,
        onsubmit: guarded(w, problem, async () => {
          await w.family.create(w.endpoint, role.value(), name.value());
          showNetwork(w, w.t("net_started"));
        }),
      },
      role.element,
      name.element,
      problem,
      h(
        "div",
        { class: "kb-actions" },
        h("button", { type: "submit", class: "kb-button" }, w.t("net_start")),
      ),
    ),
    h("h3", {}, w.t("net_codes_title")),
    inviteCodeForm(w),
    codeForm(w, {
      label: w.t("net_code_pairing"),
      action: w.t("net_code_pairing_button"),
      // The code says who joins (set by the parent who made it), not this device.
      onCode: async (code) => {
        await w.family.joinWithCode(w.endpoint, "join", code);
        showNetwork(w, w.t("net_joined"));
      },
    }),
    codeForm(w, {
      label: w.t("net_code_recovery"),
      action: w.t("net_code_recovery_button"),
      onCode: async (code) => {
        await w.family.joinWithCode(w.endpoint, "recover", code);
        showNetwork(w, w.t("net_recovered"));
      },
    }),
  ];
}

function inviteCodeForm(w) {
  return codeForm(w, {
    label: w.t("net_code_invite"),
    action: w.t("net_code_invite_button"),
    onCode: async (code) => {
      const invite = await w.family.lookupInvitation(w.endpoint, code);
      w.go("invite", { code, invite });
    },
  });
}

function renderFamily(w, data) {
  const family = data.family || {};
  const me = family.me || { role: w.family.saved?.role };
  family.me = me;
  const network = family.network || [];
  const active = network.filter((entry) => entry.state === "active");
  const activeSlugs = new Set(active.map((entry) => entry.organisation));
  const directoryOrgs = data.directory?.organisations || [];
  // An organisation with an open referral proposal is offered in the proposal, not twice.
  const proposed = new Set(
    (family.proposals || [])
      .filter((proposal) => proposal.state === "proposed")
      .map((proposal) => proposal.organisation),
  );
  const candidates = directoryOrgs.filter(
    (org) => !activeSlugs.has(org.slug) && !proposed.has(org.slug),
  );
  const names = new Map([
    ...directoryOrgs.map((org) => [org.slug, org.name]),
    ...network.map((entry) => [entry.organisation, entry.name]),
  ]);
  // The organisations that are there for me: the ones my shares and messages can go to.
  const mine = active.filter((entry) => isForMe(entry, me));
  return [
    renderKeepFamily(w),
    renderOneOffLink(w, family),
    h("p", {}, w.t("net_this_device", { role: roleName(w, me.role) })),
    renderNotices(w, family, names),
    renderProposals(w, family, data.previews),
    renderTriages(w, family, data.conversations),
    renderAgreements(w, family),
    renderMessages(w, family, data.seenBefore, mine),
    renderMail(w, data),
    h("h3", {}, w.t("net_parents")),
    h(
      "ul",
      { class: "kb-list" },
      (family.parents || []).map((parent) =>
        h(
          "li",
          {},
          w.t("net_parent_since", {
            role: roleName(w, parent.role),
            date: day(w, parent.joined_at),
          }),
        ),
      ),
    ),

    h("h3", {}, w.t("net_members")),
    active.length
      ? active.map((entry) => renderMember(w, entry, directoryOrgs, family))
      : h("p", {}, w.t("net_members_none")),

    h("h3", {}, w.t("net_add_title")),
    candidates.length
      ? candidates.map((org) =>
          renderCandidate(
            w,
            org,
            network.find((entry) => entry.organisation === org.slug),
          ),
        )
      : h("p", {}, w.t("net_add_none")),

    renderShares(w, family, names, mine, caseWords),

    h("h3", {}, w.t("net_log_button")),
    h(
      "div",
      { class: "kb-actions" },
      button(
        w.t("net_log_button"),
        () => {
          w.accessLogData = null;
          w.go("access-log", { shownCode: null });
        },
        "kb-secondary",
      ),
    ),

    renderFamilyName(w, family),
    renderPairing(w, family),
    renderCodeSection(w, {
      kind: "recovery",
      title: "net_recovery_title",
      intro: "net_recovery_intro",
      make: "net_recovery_make",
      shownTitle: "net_recovery_shown",
      request: () => w.family.recoveryCode(w.endpoint),
      codeOf: (answer) => answer.recovery_code,
    }),
    renderDevices(w, data.devices),

    renderKeep(w),

    h("h3", {}, w.t("net_codes_title")),
    inviteCodeForm(w),

    renderErase(w, family),
  ];
}

/** The pairing code, for the other parent (while not in yet) or for another device of mine. */
function renderPairing(w, family) {
  const me = family.me?.role;
  const partnerIn = (family.parents || []).some((parent) => parent.role !== me);
  const forWhom = pairingFor(w, family);
  const shown = w.state.shownCode?.kind === "pairing" ? w.state.shownCode : null;
  return renderCodeSection(w, {
    kind: "pairing",
    title: "net_partner_title",
    intro: partnerIn ? "net_partner_joined" : "net_partner_intro",
    make: "net_pairing_make",
    shownTitle: shown?.role && shown.role === me ? "own_pair_shown_mine" : "net_pairing_shown",
    extra: forWhom.element,
    request: () => w.family.pairingCode(w.endpoint, forWhom.value()),
    codeOf: (answer) => answer.code,
  });
}

function consentLine(w, entry) {
  return w.t("net_consent_added", {
    role: roleName(w, entry.added_by),
    date: day(w, entry.added_at),
  });
}

function renderMember(w, entry, directoryOrgs, family) {
  const org = directoryOrgs.find((candidate) => candidate.slug === entry.organisation);
  const forMe = isForMe(entry, family.me);
  const remove = confirmation(w, {
    text: w.t("net_remove_confirm", { org: entry.name }),
    yes: w.t("net_remove_yes"),
    onYes: async () => {
      await w.family.removeMember(w.endpoint, entry.organisation);
      showNetwork(w, w.t("net_removed", { org: entry.name }));
    },
  });
  // There only for the other parent: I can add it for me too (it then sees only what I choose).
  const addForMe = confirmation(w, {
    text: w.t("own_add_for_me_confirm", { org: entry.name }),
    yes: w.t("net_add_yes"),
    danger: false,
    onYes: async () => {
      await w.family.addMember(w.endpoint, entry.organisation);
      showNetwork(w, w.t("net_added", { org: entry.name }));
    },
  });
  const action = forMe ? remove : addForMe;
  return h(
    "div",
    { class: "kb-card", "data-member": entry.organisation },
    h("h4", {}, entry.name),
    h("p", { class: "kb-org-type" }, typeName(w, entry.type)),
    description(w, org) ? h("p", {}, description(w, org)) : null,
    h("p", {}, consentLine(w, entry)),
    forLine(w, entry),
    h(
      "div",
      { class: "kb-actions" },
      forMe
        ? remove.open(w.t("net_remove"), "kb-danger", {
            "aria-label": `${w.t("net_remove")}: ${entry.name}`,
          })
        : addForMe.open(w.t("own_add_for_me"), "kb-secondary", {
            "aria-label": w.t("own_add_for_me_label", { org: entry.name }),
          }),
    ),
    action.box,
    forMe ? addToAllMine(w, entry, family) : null,
  );
}

function renderCandidate(w, org, earlier) {
  const add = confirmation(w, {
    text: w.t("net_add_consent", { org: org.name }),
    yes: w.t("net_add_yes"),
    danger: false,
    onYes: async () => {
      await w.family.addMember(w.endpoint, org.slug);
      showNetwork(w, w.t("net_added", { org: org.name }));
    },
  });
  return h(
    "div",
    { class: "kb-card", "data-candidate": org.slug },
    h("h4", {}, org.name),
    h("p", { class: "kb-org-type" }, typeName(w, org.type)),
    description(w, org) ? h("p", {}, description(w, org)) : null,
    earlier?.state === "removed"
      ? h(
          "p",
          {},
          w.t("net_removed_before", {
            role: roleName(w, earlier.removed_by),
            date: day(w, earlier.removed_at),
          }),
        )
      : null,
    h(
      "div",
      { class: "kb-actions" },
      add.open(w.t("net_add"), "kb-secondary", {
        "aria-label": w.t("net_add_label", { org: org.name }),
      }),
    ),
    add.box,
  );
}

function renderCodeSection(w, { kind, title, intro, make, shownTitle, request, codeOf, extra }) {
  const problem = problemLine();
  const shown = w.state.shownCode?.kind === kind ? w.state.shownCode : null;
  return h(
    "section",
    { class: "kb-card", "aria-label": w.t(title) },
    h("h3", {}, w.t(title)),
    h("p", {}, w.t(intro)),
    shown
      ? h(
          "div",
          {
            class: "kb-shown",
            tabindex: "-1",
            "data-focus": true,
            "data-kb": `${kind}-code`,
          },
          h("h4", {}, w.t(shownTitle)),
          h("p", { class: "kb-code" }, shown.code),
          shown.expires_at
            ? h(
                "p",
                {},
                w.t("net_code_valid_until", {
                  date: when(w, shown.expires_at),
                }),
              )
            : null,
          kind === "recovery" ? h("p", {}, h("strong", {}, w.t("net_recovery_write_down"))) : null,
        )
      : null,
    extra,
    problem,
    h(
      "div",
      { class: "kb-actions" },
      button(
        w.t(make),
        guarded(w, problem, async () => {
          const answer = await request();
          w.go("network", {
            shownCode: {
              kind,
              code: codeOf(answer),
              role: answer.role || null,
              expires_at: answer.expires_at || null,
            },
          });
        }),
        "kb-secondary",
      ),
    ),
  );
}

// ---- keeping the family (issue 24) ----

/**
 * Where this device is with keeping the family: "ask" (is this your own phone?), "code" (answered:
 * now the recovery code) or null (done, or kept before this question existed). Asked once, right
 * after the family came to this device (started, invitation confirmed, joined, recovered); the
 * answer is kept with the family on the device.
 */
function keepStep(w) {
  const saved = w.family.saved;
  if (!saved?.created || saved.keep_done) return null;
  if (saved.keep_answer) return "code";
  if (!w.storage.local) return "code"; // nothing can be kept beyond this tab: only the code
  return w.storage.keepFamily ? null : "ask";
}

function noteKeep(w, changes) {
  w.storage.saveFamily({ ...w.family.saved, ...changes });
  w.moveFocus = true;
  w.render();
}

/** The recovery code as a small text file to keep (never sent anywhere). */
function saveCodeFile(w, code) {
  const blob = new Blob([w.t("keep_file_text", { code }) + "\n"], {
    type: "text/plain;charset=utf-8",
  });
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: w.t("keep_file_name") });
  w.shadowRoot.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function renderKeepFamily(w) {
  const step = keepStep(w);
  if (!step) return null;
  const saved = w.family.saved;
  const titleId = uid("kb-keep-title");
  const shown = w.state.shownCode?.kind === "keep" ? w.state.shownCode : null;
  const title = (key, focus) =>
    h("h3", { id: titleId, tabindex: "-1", "data-focus": focus }, w.t(key));
  const box = (...children) =>
    h(
      "section",
      { class: "kb-shown", "aria-labelledby": titleId, "data-kb": `keep-${step}` },
      ...children,
    );
  if (step === "ask") {
    return box(
      title("keep_ask_title", !w.state.shownCode),
      h("p", {}, w.t("keep_ask_own")),
      h("p", {}, w.t("keep_ask_other")),
      h(
        "div",
        { class: "kb-actions" },
        button(w.t("keep_ask_yes"), () => {
          w.storage.keepFamily = true;
          noteKeep(w, { keep_answer: "device" });
        }),
        button(
          w.t("keep_ask_no"),
          () => {
            w.storage.keepFamily = false;
            noteKeep(w, { keep_answer: "tab" });
          },
          "kb-secondary",
        ),
      ),
    );
  }
  const kept = saved.keep_answer === "device" && w.storage.keepFamily;
  const problem = problemLine();
  return box(
    title(kept ? "keep_device_title" : "keep_tab_title", !w.state.shownCode),
    h("p", {}, w.t(kept ? "keep_device_text" : "keep_tab_text")),
    kept ? null : h("p", { "data-kb": "keep-way-back" }, w.t("keep_way_back")),
    shown
      ? h(
          "div",
          { tabindex: "-1", "data-focus": true, "data-kb": "keep-recovery-code" },
          h("h4", {}, w.t("net_recovery_shown")),
          h("p", { class: "kb-code" }, shown.code),
          h("p", {}, h("strong", {}, w.t("net_recovery_write_down"))),
        )
      : h("p", {}, h("strong", {}, w.t("keep_code_why"))),
    problem,
    h(
      "div",
      { class: "kb-actions" },
      shown
        ? [
            button(w.t("keep_code_file"), () => saveCodeFile(w, shown.code), "kb-secondary"),
            button(w.t("keep_code_done"), () => {
              w.state = { ...w.state, shownCode: null };
              noteKeep(w, { keep_done: true });
            }),
          ]
        : [
            button(
              w.t("keep_code_make"),
              guarded(w, problem, async () => {
                const answer = await w.family.recoveryCode(w.endpoint);
                w.state = { ...w.state, shownCode: { kind: "keep", code: answer.recovery_code } };
                w.moveFocus = true;
                w.render();
              }),
            ),
            button(w.t("keep_code_later"), () => noteKeep(w, { keep_done: true }), "kb-secondary"),
          ],
    ),
  );
}

function renderKeep(w) {
  if (!w.storage.local) return null;
  const id = "kb-keep-family";
  const hintId = uid("kb-keep-family-hint");
  return h(
    "div",
    { class: "kb-keep" },
    h(
      "label",
      { class: "kb-option", for: id },
      h("input", {
        type: "checkbox",
        id,
        checked: w.storage.keepFamily,
        "aria-describedby": hintId,
        onchange: (event) => {
          w.storage.keepFamily = event.target.checked;
        },
      }),
      h("span", {}, w.t("net_keep")),
    ),
    h("p", { id: hintId, class: "kb-hint" }, w.t("net_keep_hint")),
  );
}

// ---- the invitation ----

/** Removes `#kindband-invite=...` from the address once used, so it is not bookmarked or shared. */
function forgetInvitationLink() {
  if (/kindband-invite=/.test(window.location.hash))
    history.replaceState(history.state, "", window.location.pathname + window.location.search);
}

function renderInvite(w) {
  const { code, invite } = w.state;
  const problem = problemLine();
  const notNow = () => {
    w.invitation = null;
    w.go(w.state.networkBack || "start", { invite: null, code: null });
  };
  if (!invite) {
    return [
      heading(w, "inv_title"),
      h("p", {}, w.t("inv_intro", { code })),
      problem,
      h(
        "div",
        { class: "kb-actions" },
        button(
          w.t("inv_look"),
          guarded(w, problem, async () => {
            const answer = await w.family.lookupInvitation(w.endpoint, code);
            w.go("invite", { invite: answer });
          }),
        ),
        button(w.t("inv_not_now"), notNow, "kb-secondary"),
      ),
    ];
  }
  const org = invite.organisation || {};
  const name = org.name || org.slug;
  const hasFamily = w.family.exists;
  const role = hasFamily ? null : rolePicker(w, pageRole(w) || "mother");
  const familyName = hasFamily ? null : familyNameField(w);
  return [
    h("h2", { tabindex: "-1", "data-focus": true }, w.t("inv_heading", { org: name })),
    h("p", {}, w.t(hasFamily ? "inv_extend" : "inv_start", { org: name })),
    org.type ? h("p", { class: "kb-org-type" }, typeName(w, org.type)) : null,
    description(w, org) ? h("p", {}, description(w, org)) : null,
    invite.coalition
      ? h("p", {}, w.t("inv_part_of", { org: name, coalition: invite.coalition.name }))
      : null,
    h(
      "div",
      { class: "kb-consent" },
      h("h3", {}, w.t("inv_if_confirm")),
      h(
        "ul",
        { class: "kb-list" },
        h("li", {}, w.t("inv_point_member", { org: name })),
        h("li", {}, w.t("inv_point_sees", { org: name })),
        h("li", {}, w.t("inv_point_nothing_yet")),
        h("li", {}, w.t("inv_point_remove", { org: name })),
      ),
      invite.expires_at
        ? h("p", { class: "kb-hint" }, w.t("inv_valid_until", { date: day(w, invite.expires_at) }))
        : null,
    ),
    role?.element,
    familyName?.element,
    problem,
    h(
      "div",
      { class: "kb-actions" },
      button(
        w.t("inv_confirm"),
        guarded(w, problem, async () => {
          if (!w.family.exists) await w.family.create(w.endpoint, role.value(), familyName.value());
          await w.family.addMember(w.endpoint, org.slug, code);
          forgetInvitationLink();
          w.invitation = null;
          showNetwork(w, w.t("net_added", { org: name }));
        }),
      ),
      button(w.t("inv_not_now"), notNow, "kb-secondary"),
    ),
  ];
}

// ---- who looked ----

function accessLogData(w) {
  if (w.accessLogData) return w.accessLogData;
  const data = {
    status: "loading",
    events: [],
    family: null,
    error: null,
    next: null,
  };
  w.accessLogData = data;
  Promise.all([w.family.accessLog(w.endpoint), w.family.load(w.endpoint).catch(() => null)])
    .then(
      ([log, family]) =>
        Object.assign(data, {
          events: log?.events || [],
          family,
          next: log?.next_cursor ?? null,
        }),
      (error) => Object.assign(data, { error }),
    )
    .finally(() => {
      data.status = "ready";
      if (w.accessLogData === data && w.state.screen === "access-log") w.render();
    });
  return data;
}

/** Loads the next (older) page of "who looked" below the lines shown. */
function loadOlder(w, data) {
  const cursor = data.next;
  data.next = null;
  w.family
    .accessLog(w.endpoint, cursor)
    .then(
      (log) => {
        data.events = data.events.concat(log?.events || []);
        data.next = log?.next_cursor ?? null;
      },
      (error) => Object.assign(data, { error }),
    )
    .finally(() => {
      if (w.accessLogData === data && w.state.screen === "access-log") w.render();
    });
}

/** A line of "who looked", with how often when it happened more than once that day. */
function eventLine(w, event, shares) {
  const line = eventText(w, event, shares);
  return event.count > 1 ? `${line} ${w.t("log_times", { count: event.count })}` : line;
}

// The professionals' other actions in plain words, never their codes (issue 24): first match wins.
const ACTION_WORDS = [
  [/^referral_/, "log_referral"],
  [/^message_/, "log_message"],
  [/^agreement_/, "log_agreement"],
  [/^case_take/, "log_case_take"],
  [/^case_/, "log_case"],
  [/^share_fhir_export/, "log_export"],
  [/^share_/, "log_share_other"],
];

function eventText(w, event, shares) {
  const share = shares.find((candidate) => candidate.share_id === event.share_id);
  const values = {
    when: when(w, event.at),
    org: event.organisation_name || event.organisation,
    role: event.role || w.t("log_someone"),
    // The person by the name they are shown by, with their role and organisation (issue 24).
    who: w.t(event.person ? "log_who_person" : "log_who_role", {
      person: event.person,
      role: professionalRole(w, event.role),
      org: event.organisation_name || event.organisation,
    }),
    what: share
      ? w.t("log_share_of", {
          instrument: instrumentName(w, share),
          role: roleName(w, share.parent),
          moment: moment(w, share.context),
        })
      : w.t("log_a_share"),
  };
  if (["share_read", "share_audience_added", "share_audience_changed"].includes(event.action)) {
    const { what } = values;
    if (event.action === "share_read") return w.t("log_share_read", { ...values, what });
    // A parent widened a share (issue 21): which parent, not a professional's role.
    return w.t(`log_${event.action}`, {
      ...values,
      role: roleName(w, event.by),
      what,
    });
  }
  // A parent put an earlier one-off share on the family's page (issue 24): its audience stayed.
  if (event.action === "share_linked")
    return w.t("log_share_linked", { ...values, role: roleName(w, event.by) });
  if (["family_view", "day_view", "family_list"].includes(event.action))
    return w.t(`log_${event.action}`, values);
  if (event.action === "triage_created" || event.action === "triage_changed")
    return w.t(`log_${event.action}`, values);
  const words = ACTION_WORDS.find(([pattern]) => pattern.test(event.action || ""));
  return w.t(words ? words[1] : "log_other", values);
}

function renderAccessLog(w) {
  const data = accessLogData(w);
  const top = [heading(w, "log_title"), h("p", {}, w.t("log_intro"))];
  if (data.status === "loading") return [top, h("p", { role: "status" }, w.t("network_loading"))];
  if (data.error)
    return [
      top,
      h("p", { class: "kb-error", role: "alert" }, errorText(w, data.error)),
      backButton(w, "network"),
    ];
  const shares = data.family?.shares || [];
  return [
    top,
    data.events.length
      ? h(
          "ul",
          { class: "kb-list", "data-kb": "access-log" },
          data.events.map((event) => h("li", {}, eventLine(w, event, shares))),
        )
      : h("p", {}, w.t("log_none")),
    data.next
      ? h(
          "button",
          {
            type: "button",
            class: "kb-button kb-secondary",
            onclick: () => loadOlder(w, data),
          },
          w.t("log_older"),
        )
      : null,
    backButton(w, "network"),
  ];
}
