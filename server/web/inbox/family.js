// The family page (GET /api/v1/inbox/families/{id}) on one screen: contact first, then the
// timeline of both parents' shares (by pregnancy week / weeks after birth, each with its case
// state), the care agreements, the messages with the family, the network around the family (with
// "assign to me" for the professional's own organisation) and referrals, and the trend per
// instrument. A row of buttons at the top jumps to each part (a long page on a phone).
import {
  $,
  accessText,
  api,
  bandText,
  button,
  contactList,
  el,
  familyPageLabel,
  fill,
  formatTime,
  momentText,
  organisationType,
  say,
  shortName,
  state,
  t,
} from "./common.js";
import { agreementsSection } from "./agreements.js";
import { caseBadge } from "./case.js";
import { messagesSection } from "./messages.js";
import { referralsSection } from "./referrals.js";
import { trendFigure } from "./trend.js";
import { loadConversation, triageSection } from "./triage.js";

/**
 * The family page as last loaded (re-rendered on a language change): its data or the access
 * problem, and the coalition's public directory (for referrals; null when it did not load).
 */
export const family = {
  id: null,
  data: null,
  problem: null,
  directory: null,
  conversation: null, // the triage conversation file (public; null until it loaded)
};

/**
 * Loads and renders the family page. Access answers (removed by the parents, erased, not a
 * member, not found) are shown plainly on the page; other errors are thrown to the caller.
 */
export async function loadFamily(id, handlers) {
  family.id = id;
  family.data = null;
  family.problem = null;
  try {
    family.data = await api(`/api/v1/inbox/families/${encodeURIComponent(id)}`);
  } catch (error) {
    const text = accessText(error);
    if (!text) throw error;
    family.problem = text;
  }
  const coalition = family.data?.coalition?.slug;
  if (coalition && family.directory?.coalition?.slug !== coalition) {
    try {
      family.directory = await api(`/api/v1/directory/${encodeURIComponent(coalition)}`);
    } catch {
      family.directory = null;
    }
  }
  if (family.data && !family.conversation) {
    try {
      family.conversation = await loadConversation();
    } catch {
      family.conversation = null;
    }
  }
  renderFamily(handlers);
}

const familyPath = (rest = "") => `/api/v1/inbox/families/${encodeURIComponent(family.id)}${rest}`;

/**
 * One change on the family page: post it, load the page again and say what happened; then the
 * focus goes to `focus` (a selector) so that a keyboard user stays where the work is. A failure
 * leaves the page (and what was typed) as it is and goes to handlers.failed.
 */
async function change(handlers, request, doneKey, focus) {
  try {
    await request();
    await loadFamily(family.id, handlers);
  } catch (error) {
    handlers.failed(error);
    return;
  }
  say(t(doneKey));
  (document.querySelector(focus) ?? $("family-section")).focus();
}

function agreementsApi(handlers) {
  const path = (id, rest = "") => familyPath(`/agreements/${encodeURIComponent(id)}${rest}`);
  return {
    create: (body) =>
      change(
        handlers,
        () => api(familyPath("/agreements"), { method: "POST", body }),
        "agreementCreated",
        "#family-agreements-title",
      ),
    patch: (id, body, doneKey, focus) =>
      change(handlers, () => api(path(id), { method: "PATCH", body }), doneKey, focus),
    comment: (id, text, focus) =>
      change(
        handlers,
        () => api(path(id, "/comments"), { method: "POST", body: { text } }),
        "commentAdded",
        focus,
      ),
    nothing: () => say(t("nothingChanged")),
  };
}

export function renderFamily(handlers) {
  $("family-title").textContent = familyPageLabel(family.id, family.data?.name);
  const box = $("family");
  box.replaceChildren();
  $("family-inbox").hidden = family.problem !== null;
  if (family.problem) {
    box.append(el("p", family.problem, "notice"));
    return;
  }
  const data = family.data;
  const parts = [
    ["contactTitle", "family-contact-title", (node) => contactSection(node, data.contact)],
    [
      "timelineTitle",
      "family-timeline-title",
      (node) => timelineSection(node, data.timeline ?? [], handlers),
    ],
    [
      "triageTitle",
      "family-triage-title",
      (node) =>
        triageSection(node, data, family.conversation, family.directory, {
          record: (body) =>
            change(
              handlers,
              () => api(familyPath("/triages"), { method: "POST", body }),
              "triageRecorded",
              "#family-triage-title",
            ),
          change: (id, body) =>
            change(
              handlers,
              () => api(familyPath(`/triages/${id}`), { method: "PATCH", body }),
              "triageChanged",
              "#family-triage-title",
            ),
          refer: (body) =>
            change(
              handlers,
              () => api(familyPath("/referrals"), { method: "POST", body }),
              "proposalSent",
              "#family-referrals-title",
            ),
          agree: (body) =>
            change(
              handlers,
              () => api(familyPath("/agreements"), { method: "POST", body }),
              "agreementCreated",
              "#family-agreements-title",
            ),
          meldcode: (id, body) =>
            change(
              handlers,
              () => api(familyPath(`/triages/${id}/meldcode`), { method: "POST", body }),
              "triageMeldcodeDone",
              "#family-triage-title",
            ),
        }),
    ],
    [
      "agreementsTitle",
      "family-agreements-title",
      (node) => agreementsSection(node, data, agreementsApi(handlers)),
    ],
    [
      "messagesTitle",
      "family-messages-title",
      (node) =>
        messagesSection(node, data, (body) =>
          change(
            handlers,
            () => api(familyPath("/messages"), { method: "POST", body }),
            "messageSent",
            "#family-messages-title",
          ),
        ),
    ],
    [
      "networkTitle",
      "family-network-title",
      (node) => networkSection(node, data.network ?? [], handlers),
    ],
    [
      "referralsTitle",
      "family-referrals-title",
      (node) =>
        referralsSection(node, data, family.directory, (body) =>
          change(
            handlers,
            () => api(familyPath("/referrals"), { method: "POST", body }),
            "proposalSent",
            "#family-referrals-title",
          ),
        ),
    ],
    [
      "trendTitle",
      "family-trend-title",
      (node) => trendSection(node, data.trend ?? [], data.timeline ?? []),
    ],
  ];
  box.append(jumps(parts));
  for (const [titleKey, id, build] of parts) box.append(build(section(titleKey, id)));
}

/** Buttons that move the focus to each part's heading (links would change the #family= address). */
function jumps(parts) {
  const nav = el("nav", null, "jumps");
  nav.setAttribute("aria-label", t("onThisPage"));
  const list = el("ul");
  for (const [titleKey, id] of parts) {
    const item = el("li");
    item.append(
      button(
        t(titleKey),
        () => {
          const heading = $(id);
          heading?.focus();
          heading?.scrollIntoView({ block: "start" });
        },
        "secondary",
      ),
    );
    list.append(item);
  }
  nav.append(list);
  return nav;
}

/** A part of the page with its heading (a jump target, so it takes the focus from the page). */
function section(titleKey, id) {
  const node = el("section", null, "family-part");
  node.setAttribute("aria-labelledby", id);
  const heading = el("h3", t(titleKey));
  heading.id = id;
  heading.tabIndex = -1;
  node.append(heading);
  return node;
}

function contactSection(node, contact) {
  const list = contactList(contact);
  if (!list) {
    node.append(el("p", t("noContact"), "hint"));
    return node;
  }
  node.append(list);
  if (contact.from || contact.shared_at) {
    node.append(
      el(
        "p",
        fill("contactFrom", {
          parent: contact.from ? t(contact.from) : "",
          time: contact.shared_at ? formatTime(contact.shared_at) : "",
        }),
        "hint",
      ),
    );
  }
  return node;
}

function networkSection(node, network, handlers) {
  if (!network.length) {
    node.append(el("p", t("networkEmpty"), "hint"));
    return node;
  }
  const list = el("ul", null, "network");
  for (const member of network) {
    const item = el("li", null, member.state === "removed" ? "removed" : "");
    item.dataset.organisation = member.organisation;
    const title = el("p", null, "network-name");
    title.append(el("strong", member.name || member.organisation));
    if (member.me) title.append(` (${t("ourOrganisation")})`);
    item.append(title);
    const facts = [organisationType(member.type)];
    facts.push(member.state === "removed" ? t("stateRemoved") : t("stateActive"));
    item.append(el("p", facts.join(" · ")));
    const assigned = member.assigned;
    item.append(
      el(
        "p",
        assigned
          ? fill("assigned", {
              who: assigned.role
                ? `${assigned.name || assigned.username} (${assigned.role})`
                : assigned.name || assigned.username,
            })
          : t("notAssigned"),
        "assigned",
      ),
    );
    if (member.me && member.state !== "removed" && state.me) {
      const mine = assigned?.username === state.me.username;
      item.append(
        button(
          mine ? t("unassign") : t("assignMe"),
          () => handlers.assign(mine ? null : state.me.username),
          "secondary",
        ),
      );
    }
    list.append(item);
  }
  node.append(list);
  return node;
}

function timelineSection(node, timeline, handlers) {
  node.append(el("p", t("timelineHint"), "hint"));
  if (!timeline.length) {
    node.append(el("p", t("timelineEmpty"), "hint"));
    return node;
  }
  const list = el("ol", null, "timeline");
  for (const entry of timeline) {
    const item = el("li", null, entry.flags?.length ? "urgent" : "");
    item.dataset.shareId = entry.share_id;
    const moment = momentText(entry.stage, entry.week);
    const name = entry.instrument_name || shortName(entry.instrument);
    const head = el("p", null, "timeline-head");
    head.append(el("strong", moment), ` · ${fill("fromParent", { parent: t(entry.parent) })}`);
    item.append(head);

    const facts = el("p", null, "timeline-facts");
    if (entry.flags?.length)
      facts.append(el("span", `${t("safety")} (${entry.flags.length})`, "badge safety"));
    if (entry.status !== "withdrawn") {
      facts.append(
        el(
          "span",
          entry.positive ? t("positive") : t("negative"),
          entry.positive ? "badge positive" : "badge neutral",
        ),
      );
    }
    facts.append(el("strong", name));
    for (const scale of entry.scales ?? []) {
      const score =
        scale.score === null || scale.score === undefined ? t("incomplete") : scale.score;
      const scaleName =
        instrumentScales(entry.instrument).find((known) => known.id === scale.id)?.name ?? scale.id;
      const label = (entry.scales.length > 1 ? `${scaleName} ` : `${t("score")} `) + score;
      // The band in words (issue 24); a band the server has no words for is left out, never coded.
      const band = bandText(scale.band_label);
      facts.append(el("span", band ? `${label} (${band})` : label));
    }
    const badge = entry.status === "withdrawn" ? null : caseBadge(entry);
    if (badge) facts.append(badge);
    if (!badge || entry.status === "seen")
      facts.append(el("span", t(entry.status), "badge status"));
    item.append(facts);
    if (entry.status !== "withdrawn") {
      const open = button(t("open"), () => handlers.openShare(entry.share_id, open), "secondary");
      open.setAttribute("aria-label", fill("openShare", { instrument: name, moment }));
      item.append(open);
    }
    list.append(item);
  }
  node.append(list);
  return node;
}

// One figure per instrument: its trended scale ({instrument, scale, max, points}), its range from
// the engine's scale (the server's max when the engine did not load).
function trendSection(node, trend, timeline) {
  const lines = (Array.isArray(trend) ? trend : []).filter((line) => line.points?.length);
  if (!lines.length) {
    node.append(el("p", t("trendEmpty"), "hint"));
    return node;
  }
  const positive = new Map(timeline.map((entry) => [entry.share_id, entry.positive]));
  for (const line of lines) {
    const named = timeline.find((entry) => entry.instrument === line.instrument)?.instrument_name;
    const scales = instrumentScales(line.instrument);
    const scale = scales.find((candidate) => candidate.id === line.scale) ?? null;
    let name = named || shortName(line.instrument);
    if (scales.length > 1 && scale?.name) name += ` – ${scale.name}`;
    node.append(el("h4", name));
    const range = { min: scale?.min ?? 0, max: line.max ?? scale?.max };
    node.append(
      trendFigure(`${line.instrument}-${line.scale ?? ""}`, name, line.points, range, (point) =>
        positive.get(point.share_id),
      ),
    );
  }
  return node;
}

function instrumentScales(id) {
  if (!state.kb) return [];
  try {
    return state.kb.getInstrument(id, state.ui).scales ?? [];
  } catch {
    return [];
  }
}

/** POST the assignment and put the answer (the network entry) in the page. */
export async function assign(username, handlers) {
  const entry = await api(`/api/v1/inbox/families/${encodeURIComponent(family.id)}/assignment`, {
    method: "POST",
    body: { username },
  });
  const network = family.data.network ?? [];
  const index = network.findIndex((member) =>
    entry?.organisation ? member.organisation === entry.organisation : member.me,
  );
  if (index >= 0 && entry && typeof entry === "object")
    network[index] = { ...network[index], ...entry };
  renderFamily(handlers);
  say(username ? t("assignedToMe") : t("unassigned"));
  $("family").querySelector(".network li button")?.focus();
}
