// Referral with the parents' consent on the family page: propose another organisation of the
// coalition with a reason the parents will read; see whether the parents accepted or declined.
// Until they accept, the proposed organisation sees nothing (docs/care-network.md, "Referral").
import {
  clearFieldError,
  el,
  field,
  fill,
  form,
  formatTime,
  organisationType,
  showFieldError,
  submitButton,
  t,
} from "./common.js";

const REASON_MAX = 500;

function proposalItem(proposal) {
  const item = el("li", null, `proposal proposal-${proposal.state}`);
  item.dataset.proposalId = proposal.id;
  item.append(el("h4", proposal.name || proposal.organisation));
  const facts = el("p", null, "badges");
  facts.append(
    el("span", organisationType(proposal.type)),
    " ",
    el("span", t(`proposal_${proposal.state}`), `badge proposal-state ${proposal.state}`),
  );
  item.append(facts);
  const reason = el("p", null, "reason");
  reason.append(el("strong", `${t("reasonForParents")}: `), el("q", proposal.reason));
  item.append(reason);
  const by = proposal.proposed_by;
  if (by) {
    item.append(
      el(
        "p",
        fill("proposedBy", {
          who: [by.role, by.organisation_name ?? by.organisation].filter(Boolean).join(", "),
          time: formatTime(proposal.created_at),
        }),
        "hint",
      ),
    );
  }
  if (proposal.decided_at) {
    item.append(
      el(
        "p",
        fill("decidedBy", {
          parent: proposal.decided_by ? t(proposal.decided_by) : t("theParents"),
          time: formatTime(proposal.decided_at),
        }),
        "hint",
      ),
    );
  }
  return item;
}

/**
 * The referrals part of the family page: the proposals (newest first, as the server sends them)
 * and a form to propose an organisation of the coalition that is not in the network and not
 * waiting for the parents already. directory: the coalition's public directory (or null).
 */
export function referralsSection(node, data, directory, propose) {
  const proposals = data.proposals ?? [];
  if (!proposals.length) node.append(el("p", t("proposalsEmpty"), "hint"));
  else {
    const list = el("ul", null, "proposals");
    for (const proposal of proposals) list.append(proposalItem(proposal));
    node.append(list);
  }

  const members = new Set(
    (data.network ?? [])
      .filter((member) => member.state !== "removed")
      .map((member) => member.organisation),
  );
  const waiting = new Set(
    proposals.filter((proposal) => proposal.state === "proposed").map((p) => p.organisation),
  );
  const candidates = (directory?.organisations ?? []).filter(
    (organisation) => !members.has(organisation.slug) && !waiting.has(organisation.slug),
  );
  node.append(el("h4", t("proposeTitle")));
  if (!directory) {
    node.append(el("p", t("directoryMissing"), "hint"));
    return node;
  }
  if (!candidates.length) {
    node.append(el("p", t("nobodyToPropose"), "hint"));
    return node;
  }
  const organisation = el("select");
  for (const candidate of candidates) {
    const option = el("option", `${candidate.name} (${organisationType(candidate.type)})`);
    option.value = candidate.slug;
    organisation.append(option);
  }
  const reason = el("textarea");
  reason.maxLength = REASON_MAX;
  reason.rows = 3;
  node.append(
    form(
      "referral-form",
      () => {
        clearFieldError(reason);
        if (!reason.value.trim()) return showFieldError(reason, t("reasonForParentsRequired"));
        return propose({ organisation: organisation.value, reason: reason.value.trim() });
      },
      field("referral-organisation", t("proposeOrganisation"), organisation),
      field("referral-reason", t("reasonForParents"), reason, t("reasonForParentsHint")),
      submitButton(t("propose")),
    ),
  );
  return node;
}
