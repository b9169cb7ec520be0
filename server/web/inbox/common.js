// What every screen of the inbox page shares: the page state, words, DOM building, the JSON API,
// and the ways a moment, a time or a contact is shown. All text goes into the page with
// textContent (never innerHTML): share content is untrusted.
import { TEXT } from "./text.js";

/** The page's state: interface language, the wasm engine (or null), the logged-in professional. */
export const state = { ui: "nl", kb: null, me: null };

export const $ = (id) => document.getElementById(id);

export const t = (key) => TEXT[state.ui][key] ?? TEXT.nl[key] ?? key;

/** t(key) with {name} placeholders filled from values. */
export const fill = (key, values) =>
  t(key).replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));

export function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}

export function button(text, onClick, className) {
  const node = el("button", text, className);
  node.type = "button";
  node.addEventListener("click", onClick);
  return node;
}

export function say(message) {
  $("status").textContent = message;
  $("error").textContent = "";
}

/**
 * After the interface language changed from `previous`: the status line again in the new language
 * (a line with a name or number filled in is cleared rather than left in the other language).
 */
export function sayAgain(previous) {
  const said = $("status").textContent;
  if (!said) return;
  const key = Object.keys(TEXT[previous] ?? {}).find((name) => TEXT[previous][name] === said);
  $("status").textContent = key ? t(key) : "";
}

export function fail(error) {
  $("error").textContent = error.message || String(error);
}

const RETRY_DELAYS_MS = [400, 1500];

/** A fresh Idempotency-Key (docs/share-api.md, "Retries"). */
function newRequestKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * fetch with the session cookie; a non-2xx answer throws an Error with status and code. A POST
 * carries an Idempotency-Key and is sent again with the same key when no answer came or the server
 * was briefly unavailable: what it creates (a message, an agreement, a comment, a triage, a
 * referral, an invitation) is made once.
 */
export async function api(path, { method = "GET", body } = {}) {
  const init = { method, credentials: "same-origin", headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const retries = method === "POST" && path !== "/api/v1/login" ? RETRY_DELAYS_MS.length : 0;
  if (retries) init.headers["Idempotency-Key"] = newRequestKey();
  let response;
  for (let attempt = 0; ; attempt++) {
    try {
      response = await fetch(path, init);
    } catch (error) {
      if (attempt >= retries) throw error;
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]));
      continue;
    }
    if (attempt < retries && [502, 503, 504].includes(response.status)) {
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAYS_MS[attempt]));
      continue;
    }
    break;
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const error = new Error(data?.message || `HTTP ${response.status}`);
    error.status = response.status;
    error.code = data?.error;
    throw error;
  }
  return data;
}

/** Plain words for the access answers of the care-network routes; null for other errors. */
export function accessText(error) {
  if (error.code === "removed_by_parents") return t("removedByParents");
  if (error.code === "family_erased" || (error.status === 410 && error.code !== "withdrawn"))
    return t("familyErased");
  if (error.code === "not_a_member") return t("notAMember");
  if (error.code === "withdrawn") return t("withdrawnShare");
  if (error.status === 404) return t("notFound");
  return null;
}

/** Plain words for a failed change on the care-network routes (conflicts, validation). */
export function problemText(error) {
  const access = accessText(error);
  if (access) return access;
  const key = {
    already_member: "alreadyMember",
    already_proposed: "alreadyProposed",
    already_decided: "alreadyDecided",
    other_coalition: "otherCoalition",
    illegal_transition: "agreementIllegal",
  }[error.code];
  if (key) return t(key);
  if (error.status === 422 || error.status === 400)
    return fill("invalidInput", { why: error.message });
  return error.message || String(error);
}

export function locale() {
  return state.ui === "nl" ? "nl-NL" : "en-GB";
}

export function formatTime(text) {
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : date.toLocaleString(locale());
}

/** "3 hours ago" in the interface language. */
export function ageText(text, now = Date.now()) {
  const then = new Date(text).getTime();
  if (Number.isNaN(then)) return text;
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  const format = new Intl.RelativeTimeFormat(locale(), { numeric: "auto" });
  if (seconds < 60) return format.format(-seconds, "second");
  if (seconds < 3600) return format.format(-Math.floor(seconds / 60), "minute");
  if (seconds < 86400) return format.format(-Math.floor(seconds / 3600), "hour");
  return format.format(-Math.floor(seconds / 86400), "day");
}

export function contextText(context) {
  const parts = [];
  if (context?.role) parts.push(t(context.role));
  if (context?.stage) parts.push(t(context.stage));
  if (context?.week !== undefined && context?.week !== null)
    parts.push(`${t("week")} ${context.week}`);
  return parts.join(", ");
}

const hasWeek = (week) => week !== undefined && week !== null;

// The last week of each stage a moment may name: 42 weeks of pregnancy, and after the birth up to
// the second birthday (the first 1000 days).
export const MAX_WEEK = { pregnancy: 42, postpartum: 104 };

/** A week typed for stage, or null when it is not a whole number in the stage's range. */
export function weekOf(stage, text) {
  const number = Number(text);
  if (text === "" || !Number.isInteger(number) || number < 0 || number > (MAX_WEEK[stage] ?? 0)) {
    return null;
  }
  return number;
}

/** "Pregnancy, week 20" / "6 weeks after birth": only what the parent shared, never a date. */
export function momentText(stage, week) {
  if (stage === "pregnancy")
    return hasWeek(week) ? fill("pregnancyWeek", { week }) : t("pregnancyNoWeek");
  if (stage === "postpartum") {
    if (!hasWeek(week)) return t("postpartumNoWeek");
    if (week === 1) return t("postpartumWeekOne");
    // From 3 months on in months, as the JGZ's contact moments are named (14, 18 months).
    if (week >= 13)
      return fill("postpartumMonths", { months: Math.round((week * 7) / 30.4375), week });
    return fill("postpartumWeek", { week });
  }
  return t("noMoment");
}

/** A short axis label for the trend chart: "zw 20", "+6 wk". */
export function shortMoment(stage, week) {
  const shown = hasWeek(week) ? week : "";
  if (stage === "pregnancy") return fill("shortPregnancy", { week: shown }).trim();
  if (stage === "postpartum") return fill("shortPostpartum", { week: shown }).trim();
  return t("shortNone");
}

export function shortName(id, language = state.ui) {
  if (!state.kb) return id;
  try {
    return state.kb.getInstrument(id, language).short_name || id;
  } catch {
    return id;
  }
}

/** A family as its parents want it shown (their chosen name), else by the start of its id. */
// A family the parents did not name is "a family without a name", never its id (issue 24); the
// list and the pages around it tell such families apart by when they joined and what they shared.
export function familyLabel(familyId, name) {
  return name || t("familyUnnamed");
}

/** "Family page of ..." for a button's accessible name. */
export function familyPageLabel(familyId, name) {
  return name ? fill("familyPageOfNamed", { name }) : t("familyPageOfUnnamed");
}

export function organisationType(type) {
  const key = `type_${type}`;
  return TEXT[state.ui][key] ?? type;
}

// A phone number becomes a tel: link only when it looks like one (digits, spaces, + - . ( ) /);
// an e-mail address a mailto: link only without characters that would add headers or recipients.
export function telHref(phone) {
  const text = String(phone).trim();
  if (!/^\+?[\d\s\-.()/]+$/.test(text) || text.replace(/\D/g, "").length < 3) return null;
  return `tel:${text.replace(/[^\d+]/g, "")}`;
}

export function mailHref(email) {
  const text = String(email).trim();
  if (!/^[^\s@?&#,;:<>"'/\\]+@[^\s@?&#,;:<>"'/\\]+$/.test(text)) return null;
  return `mailto:${text}`;
}

/** Contact details as a list, phone and e-mail as links; null when nothing was shared. */
export function contactList(contact) {
  if (!contact || !["name", "phone", "email"].some((key) => contact[key])) return null;
  const list = el("dl", null, "contact");
  if (contact.name) list.append(el("dt", t("name")), el("dd", contact.name));
  if (contact.phone) {
    const dd = el("dd");
    const href = telHref(contact.phone);
    if (href) {
      const link = el("a", contact.phone);
      link.href = href;
      link.setAttribute("aria-label", fill("call", { phone: contact.phone }));
      dd.append(link);
    } else {
      dd.textContent = contact.phone;
    }
    list.append(el("dt", t("phone")), dd);
  }
  if (contact.email) {
    const dd = el("dd");
    const href = mailHref(contact.email);
    if (href) {
      const link = el("a", contact.email);
      link.href = href;
      link.setAttribute("aria-label", fill("mail", { email: contact.email }));
      dd.append(link);
    } else {
      dd.textContent = contact.email;
    }
    list.append(el("dt", t("email")), dd);
  }
  return list;
}

/** A labelled form field; a hint under it is linked with aria-describedby. */
export function field(id, labelText, control, hintText) {
  const node = el("div", null, "field");
  const label = el("label", labelText);
  label.htmlFor = id;
  control.id = id;
  node.append(label, control);
  if (hintText) {
    const hint = el("p", hintText, "hint");
    hint.id = `${id}-hint`;
    control.setAttribute("aria-describedby", hint.id);
    node.append(hint);
  }
  return node;
}

/** A checkbox with its label after it. */
export function checkField(id, labelText, checked) {
  const node = el("div", null, "field check");
  const box = el("input");
  box.type = "checkbox";
  box.id = id;
  box.checked = checked;
  const label = el("label", labelText);
  label.htmlFor = id;
  node.append(box, label);
  return { node, box };
}

export function submitButton(text, className) {
  const node = el("button", text, className);
  node.type = "submit";
  return node;
}

/** A form that is checked by the page (noValidate) and never reloads it. */
export function form(className, onSubmit, ...children) {
  const node = el("form", null, className);
  node.noValidate = true;
  node.append(...children.filter(Boolean));
  node.addEventListener("submit", (event) => {
    event.preventDefault();
    onSubmit();
  });
  return node;
}

/** A field error under a control, linked with aria-describedby; the control gets the focus. */
export function showFieldError(control, text) {
  const id = `${control.id}-error`;
  let node = document.getElementById(id);
  if (!node) {
    node = el("p", null, "field-error");
    node.id = id;
    control.after(node);
  }
  node.textContent = text;
  const described = (control.getAttribute("aria-describedby") ?? "").split(" ").filter(Boolean);
  if (!described.includes(id)) described.push(id);
  control.setAttribute("aria-describedby", described.join(" "));
  control.setAttribute("aria-invalid", "true");
  control.focus();
  return false;
}

export function clearFieldError(control) {
  document.getElementById(`${control.id}-error`)?.remove();
  control.removeAttribute("aria-invalid");
  const described = (control.getAttribute("aria-describedby") ?? "")
    .split(" ")
    .filter((id) => id && id !== `${control.id}-error`);
  if (described.length) control.setAttribute("aria-describedby", described.join(" "));
  else control.removeAttribute("aria-describedby");
}

/** "12 maart 2027" for a YYYY-MM-DD date (a calendar day, no time zone shift). */
export function formatDay(text) {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(text));
  if (!match) return String(text);
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return date.toLocaleDateString(locale(), { day: "numeric", month: "long", year: "numeric" });
}

/** A band in words in the page's language (the server's band_label), never its code. */
export function bandText(label) {
  if (!label || typeof label !== "object") return "";
  return label[state.ui] ?? label.nl ?? label.en ?? "";
}

/**
 * The consent a parent gave, in words: "gegeven (tekst van november 2026)" for "2026-11-v1",
 * never the version code (issue 24).
 */
export function consentText(version) {
  const match = /^(\d{4})-(\d{2})/.exec(String(version ?? ""));
  if (!match) return t("consentGiven");
  const month = new Date(Number(match[1]), Number(match[2]) - 1, 1).toLocaleDateString(locale(), {
    month: "long",
    year: "numeric",
  });
  return fill("consentGivenText", { month });
}

export function table(headers, rows, caption) {
  const node = el("table");
  if (caption) node.append(el("caption", caption));
  const head = el("tr");
  for (const header of headers) {
    const th = el("th", header);
    th.scope = "col";
    head.append(th);
  }
  const thead = el("thead");
  thead.append(head);
  const tbody = el("tbody");
  for (const row of rows) {
    const tr = el("tr");
    for (const cell of row) tr.append(el("td", cell));
    tbody.append(tr);
  }
  node.append(thead, tbody);
  return node;
}
