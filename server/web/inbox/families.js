// The families our organisation is in the network of (issue 24): search by the name the parents
// chose, "only those waiting for us", the state of what they shared, due or born between two dates;
// 50 at a time with "more". Each row opens the family's page.
import { $, api, button, el, familyLabel, familyPageLabel, fill, formatDay, t } from "./common.js";

/** The list as shown: the families loaded so far, the next page's offset, the current filters. */
export const families = {
  rows: [],
  nextOffset: null,
  search: "",
  needsAction: false,
  caseState: "",
  from: "",
  to: "",
};

export async function loadFamilies(handlers, { more = false } = {}) {
  const params = new URLSearchParams();
  if (families.search) params.set("q", families.search);
  if (families.needsAction) params.set("needs_action", "1");
  if (families.caseState) params.set("state", families.caseState);
  if (families.from) params.set("from", families.from);
  if (families.to) params.set("to", families.to);
  if (more && families.nextOffset !== null) params.set("offset", String(families.nextOffset));
  const query = params.toString();
  const page = await api(`/api/v1/inbox/families${query ? `?${query}` : ""}`);
  families.rows = more ? [...families.rows, ...page.families] : page.families;
  families.nextOffset = page.next_offset ?? null;
  renderFamilies(handlers);
}

function familyRow(family, handlers) {
  const item = el("li", null, family.needs_action ? "family-row waits" : "family-row");
  item.dataset.familyId = family.family_id;
  const open = button(familyLabel(family.family_id, family.name), () =>
    handlers.openFamily(family.family_id),
  );
  open.className = "family-link";
  open.setAttribute("aria-label", familyPageLabel(family.family_id, family.name));
  const facts = [];
  if (family.needs_action) facts.push(el("span", t("familyWaits"), "badge safety"));
  if (family.untaken_shares > 0)
    facts.push(el("span", fill("familyUntaken", { count: family.untaken_shares }), "badge"));
  if (family.open_cases > 0)
    facts.push(el("span", fill("familyOpenCases", { count: family.open_cases }), "badge"));
  if (family.unanswered_message) facts.push(el("span", t("familyUnanswered"), "badge"));
  const line = el("p", null, "family-facts");
  if (family.expected)
    facts.push(
      el(
        "span",
        fill(family.expected.kind === "born" ? "familyBorn" : "familyDue", {
          date: formatDay(family.expected.date),
        }),
      ),
    );
  line.append(
    ...facts,
    el("span", fill("familySince", { date: formatDay(String(family.member_since).slice(0, 10)) })),
  );
  item.append(open, line);
  return item;
}

export function renderFamilies(handlers) {
  const list = $("families-list");
  list.replaceChildren(...families.rows.map((family) => familyRow(family, handlers)));
  $("families-empty").hidden = families.rows.length > 0;
  $("families-more").hidden = families.nextOffset === null;
}
