// Who a share goes to (docs/care-network.md). With a family on this device the share is linked to
// the family by default: every active member of the network is ticked and the parent may untick
// some. "Only this once" keeps the one-off share to one organisation (docs/share-api.md). When the
// page's `org` names a coalition, the one-off share goes to an organisation the parent picks.
import { h, uid } from "../lib/dom.js";

/**
 * Everything the share screen can offer, from what it loaded when it opened (w.shareTargets()).
 * Never asks the server itself: building a payload or naming its recipients sends nothing.
 */
export function shareOptions(w) {
  const targets = w.shareTargetsLoaded;
  // The organisations that are there for this parent (`for`, issue 21): a share can go only to those.
  const role = targets?.family?.me?.role;
  const members = (targets?.family?.network || []).filter(
    (entry) => entry.state === "active" && (!Array.isArray(entry.for) || entry.for.includes(role)),
  );
  const directory = targets?.directory;
  const once =
    directory?.kind === "coalition"
      ? directory.organisations.map(({ slug, name }) => ({ slug, name }))
      : [{ slug: w.organisation, name: w.getAttribute("org-name") || w.organisation }];
  return {
    familyId: targets?.family ? w.family.saved?.family_id : null,
    members,
    once,
    coalitionName: directory?.kind === "coalition" ? directory.coalition.name : null,
    familyFailed: Boolean(targets?.familyError),
  };
}

/** Fills in the draft's choice where the parent has not chosen yet (network by default). */
export function settleRoute(w, draft) {
  const options = shareOptions(w);
  if (draft.to === "network" && !options.members.length) draft.to = null;
  draft.to ??= options.members.length ? "network" : "once";
  const slugs = options.members.map((member) => member.organisation);
  draft.recipients = (draft.recipients ?? slugs).filter((slug) => slugs.includes(slug));
  if (options.once.length === 1) draft.once = options.once[0].slug;
  else if (!options.once.some((entry) => entry.slug === draft.once)) draft.once = null;
  return options;
}

/** The payload fields that route a share: {family_id, recipients} or {organisation}. */
export function routeOf(w, draft) {
  const options = shareOptions(w);
  if (draft.to === "network" && options.familyId)
    return {
      family_id: options.familyId,
      recipients: draft.recipients,
      later_members: draft.laterMembers === true,
      show_to_family: draft.showToFamily === true,
    };
  return { organisation: draft.once };
}

/** Why the choice cannot be sent yet (a text key), or null. */
export function routeProblem(draft) {
  if (draft.to === "network") return draft.recipients.length ? null : "share_pick_recipient";
  return draft.once ? null : "share_pick_organisation";
}

/** The names a payload goes to, for the preview. */
export function recipientNames(w, payload) {
  const options = shareOptions(w);
  const names = new Map([
    ...options.members.map((m) => [m.organisation, m.name]),
    ...options.once.map((o) => [o.slug, o.name]),
  ]);
  if (payload.recipients)
    return w.t("preview_to_network", {
      names: payload.recipients.map((slug) => names.get(slug) || slug).join(", "),
    });
  return names.get(payload.organisation) || payload.organisation;
}

/**
 * When someone looks at the share, per recipient, as the organisations told the directory:
 * [{name, text}] (text null when an organisation did not say), in the parent's language.
 */
export function responseTimes(w, payload) {
  const options = shareOptions(w);
  const entries = w.shareTargetsLoaded?.directory?.organisations || [];
  const names = new Map([
    ...options.members.map((m) => [m.organisation, m.name]),
    ...options.once.map((o) => [o.slug, o.name]),
  ]);
  return (payload.recipients || [payload.organisation]).map((slug) => ({
    name: names.get(slug) || slug,
    text: entries.find((entry) => entry.slug === slug)?.response_time?.[w.state.lang] || null,
  }));
}

/** A checkbox for a yes/no choice of the draft (`draft[field]`), with an optional hint. */
function tick(w, draft, field, label, hint) {
  const hintId = hint ? uid("kb-hint") : null;
  return [
    h(
      "label",
      { class: "kb-option", "data-kb": field },
      h("input", {
        type: "checkbox",
        checked: draft[field] === true,
        "aria-describedby": hintId,
        onchange: (event) => {
          draft[field] = event.target.checked;
        },
      }),
      h("span", {}, w.t(label)),
    ),
    hint ? h("p", { class: "kb-hint", id: hintId }, w.t(hint)) : null,
  ];
}

/** The "who to" part of the share form; null when there is only the one organisation. */
export function renderRecipients(w, draft, onChange) {
  const options = settleRoute(w, draft);
  if (!options.members.length && options.once.length === 1 && !options.familyFailed) return null;
  const group = uid("kb-share-to");
  const memberList = options.members.length
    ? h(
        "fieldset",
        { class: "kb-sublist", hidden: draft.to !== "network" },
        h("legend", { class: "kb-visually-hidden" }, w.t("share_to_network")),
        options.members.map((member) =>
          h(
            "label",
            { class: "kb-option" },
            h("input", {
              type: "checkbox",
              value: member.organisation,
              checked: draft.recipients.includes(member.organisation),
              onchange: (event) => {
                const rest = draft.recipients.filter((slug) => slug !== member.organisation);
                draft.recipients = event.target.checked ? [...rest, member.organisation] : rest;
                onChange();
              },
            }),
            h("span", {}, member.name),
          ),
        ),
        h("p", { class: "kb-hint" }, w.t("share_to_network_hint")),
        // Both unticked by default: a share reaches no one its parent did not choose (issue 21).
        tick(w, draft, "laterMembers", "share_later_members"),
        tick(w, draft, "showToFamily", "share_show_family", "share_show_family_hint"),
      )
    : null;
  const selectId = uid("kb-share-once");
  const onceChoice =
    options.once.length > 1
      ? h(
          "div",
          { class: "kb-field kb-sublist", hidden: draft.to !== "once" },
          h("label", { for: selectId }, w.t("share_pick_label")),
          h(
            "select",
            {
              id: selectId,
              onchange: (event) => {
                draft.once = event.target.value || null;
                onChange();
              },
            },
            h("option", { value: "" }, w.t("share_pick_none")),
            options.once.map((entry) =>
              h("option", { value: entry.slug, selected: draft.once === entry.slug }, entry.name),
            ),
          ),
        )
      : null;
  const radio = (value, label) =>
    h(
      "label",
      { class: "kb-option" },
      h("input", {
        type: "radio",
        name: group,
        value,
        checked: draft.to === value,
        onchange: () => {
          draft.to = value;
          if (memberList) memberList.hidden = value !== "network";
          if (onceChoice) onceChoice.hidden = value !== "once";
          onChange();
        },
      }),
      h("span", {}, label),
    );
  const onceLabel =
    options.once.length === 1
      ? w.t("share_to_once", { org: options.once[0].name })
      : w.t("share_to_once_pick");
  return h(
    "fieldset",
    { class: "kb-card", "data-kb": "recipients" },
    h("legend", {}, w.t("share_to")),
    options.familyFailed ? h("p", { role: "status" }, w.t("share_network_failed")) : null,
    options.members.length ? [radio("network", w.t("share_to_network")), memberList] : null,
    options.members.length ? radio("once", onceLabel) : h("p", {}, onceLabel),
    onceChoice,
  );
}
