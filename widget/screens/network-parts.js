// What the care-network screens share: the words (roles, kinds of organisation, dates, moments,
// errors) and the building blocks (headings, problem lines, guarded actions, confirmations).
import { h, uid } from "../lib/dom.js";

// ---- words ----

export const ROLES = ["mother", "partner"];
export const TYPES = [
  "verloskunde",
  "kraamzorg",
  "jgz",
  "huisarts",
  "wijkteam",
  "imh",
  "ggz",
  "ziekenhuis",
];

export function roleName(w, role) {
  return ROLES.includes(role) ? w.t(`role_${role}`) : role || "?";
}

export function typeName(w, type) {
  return TYPES.includes(type) ? w.t(`type_${type}`) : type || "";
}

export function locale(w) {
  return w.state.lang === "en" ? "en-GB" : "nl-NL";
}

export function day(w, iso) {
  const date = new Date(iso);
  if (!iso || Number.isNaN(date.getTime())) return iso || "?";
  return date.toLocaleDateString(locale(w), { day: "numeric", month: "long", year: "numeric" });
}

/** Weeks after the birth as the JGZ says them from 3 months on: 59 -> 14, 78 -> 18 (months). */
export function monthsAfterBirth(week) {
  return Math.round((week * 7) / 30.4375);
}

export function moment(w, context = {}) {
  const week = Number.isInteger(context.week) ? context.week : null;
  if (context.stage === "pregnancy")
    return week === null ? w.t("moment_pregnancy_plain") : w.t("moment_pregnancy", { week });
  if (context.stage === "postpartum") {
    if (week === null) return w.t("moment_postpartum_plain");
    return week < 13
      ? w.t("moment_postpartum", { week })
      : w.t("moment_postpartum_months", { months: monthsAfterBirth(week) });
  }
  return w.t("moment_none");
}

export function instrumentName(w, share) {
  const local = w.shares.get(share.share_id);
  return local?.instrument_name || w.defs?.[share.instrument]?.short_name || share.instrument;
}

export function description(w, organisation) {
  const text = organisation?.description;
  if (!text) return null;
  return typeof text === "string" ? text : text[w.state.lang] || text.nl || null;
}

export function errorText(w, error) {
  if (error?.status === 0) return w.t("err_offline");
  if (error?.status === 429) return w.t("err_too_many");
  if (error?.code === "invalid_code") return w.t("err_invalid_code");
  if (error?.code === "other_coalition") return w.t("err_other_coalition");
  if (["family_full", "role_taken", "not_your_device", "not_a_member"].includes(error?.code))
    return w.t(`err_${error.code}`);
  return w.t("err_generic", { reason: error?.message || String(error) });
}

// ---- building blocks ----

export function heading(w, key, focus = true) {
  return h("h2", { tabindex: "-1", "data-focus": focus }, w.t(key));
}

export function problemLine() {
  return h("p", { class: "kb-error", role: "alert", hidden: true, id: uid("kb-problem") });
}

/** Runs an action once at a time; shows what went wrong in `problem`. */
export function guarded(w, problem, work) {
  let busy = false;
  return async (event) => {
    event?.preventDefault();
    if (busy) return;
    busy = true;
    problem.hidden = true;
    try {
      await work();
    } catch (error) {
      problem.textContent = errorText(w, error);
      problem.hidden = false;
    } finally {
      busy = false;
    }
  };
}

export function button(label, onclick, kind = "") {
  return h("button", { type: "button", class: `kb-button ${kind}`.trim(), onclick }, label);
}

export function backButton(w, to) {
  return h(
    "div",
    { class: "kb-actions" },
    button(
      w.t("net_back"),
      () => w.go(to || w.state.networkBack || "start", { shownCode: null, eraseReport: null }),
      "kb-secondary",
    ),
  );
}

/** A confirmation box under `opener`: hidden until opened; Cancel puts the focus back. */
export function confirmation(w, { text, yes, onYes, danger = true }) {
  const problem = problemLine();
  const box = h(
    "div",
    { class: danger ? "kb-confirm" : "kb-consent", hidden: true },
    h("p", {}, text),
    problem,
    button(yes, guarded(w, problem, onYes), danger ? "kb-danger" : ""),
    button(
      w.t("cancel"),
      () => {
        box.hidden = true;
        opener.setAttribute("aria-expanded", "false");
        opener.focus();
      },
      "kb-secondary",
    ),
  );
  let opener = null;
  return {
    box,
    open(label, kind, attributes = {}) {
      opener = h(
        "button",
        {
          type: "button",
          class: `kb-button ${kind}`.trim(),
          "aria-expanded": "false",
          ...attributes,
          onclick: () => {
            box.hidden = false;
            opener.setAttribute("aria-expanded", "true");
            box.querySelector("button").focus();
          },
        },
        label,
      );
      return opener;
    },
  };
}

export function when(w, iso) {
  const date = new Date(iso);
  if (!iso || Number.isNaN(date.getTime())) return iso || "?";
  return date.toLocaleString(locale(w), {
    day: "numeric",
    month: "long",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
  });
}

/** Reloads the network and shows it with a notice (the focus goes to the heading). */
export function showNetwork(w, notice) {
  w.networkData = null;
  w.go("network", { notice, shownCode: null, invite: null, code: null, eraseReport: null });
}
