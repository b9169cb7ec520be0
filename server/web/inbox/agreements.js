// Care agreements ("samenwerkingsafspraken") on the family page: what will happen, which member
// organisation owns it (optionally which professional), when (a date or a pregnancy week / weeks
// after birth), open → done | cancelled, comments, and what the parents said ("this does not suit
// us"). Every member organisation sees and edits them (docs/care-network.md, "Care agreements").
import {
  button,
  checkField,
  clearFieldError,
  el,
  field,
  fill,
  form,
  formatDay,
  formatTime,
  MAX_WEEK,
  momentText,
  organisationType,
  showFieldError,
  state,
  submitButton,
  t,
  weekOf,
} from "./common.js";
import { colleagues, whoText } from "./case.js";

const WHAT_MAX = 300;
const COMMENT_MAX = 500;
const STATUSES = ["open", "done", "cancelled"];

/** "Uiterlijk 12 maart 2027" / "Zwangerschap, week 30" / "Geen termijn". */
export function dueText(agreement) {
  if (agreement.due_date) return fill("dueBy", { date: formatDay(agreement.due_date) });
  if (agreement.due_moment?.stage)
    return momentText(agreement.due_moment.stage, agreement.due_moment.week);
  return t("noDue");
}

export function ownerText(agreement) {
  const organisation = agreement.owner_name || agreement.owner_organisation;
  const type = agreement.owner_type ? ` (${organisationType(agreement.owner_type)})` : "";
  const person = agreement.owner ? `, ${whoText(agreement.owner)}` : "";
  return `${organisation}${type}${person}`;
}

/** The badges of an agreement: its status, overdue, not shown to the parents. */
export function agreementBadges(agreement) {
  const badges = [
    el("span", t(`agreement_${agreement.status}`), `badge agreement-${agreement.status}`),
  ];
  if (agreement.overdue) badges.push(el("span", t("overdue"), "badge overdue"));
  // Its owner left the family's network (or was disabled): a remaining member takes it over.
  if (agreement.needs_owner) badges.push(el("span", t("needsOwner"), "badge overdue needs-owner"));
  if (agreement.visible_to_parents === false)
    badges.push(el("span", t("hiddenFromParents"), "badge status"));
  return badges;
}

function parentsSay(agreement) {
  const said = agreement.parents_say;
  if (!said || typeof said.suits !== "boolean") return null;
  const who = said.by ? t(said.by) : t("theParents");
  const node = el("p", null, said.suits ? "parents-say" : "parents-say notice");
  node.append(
    el("strong", fill(said.suits ? "parentsSuits" : "parentsDoNotSuit", { parent: who })),
  );
  if (said.comment) node.append(" ", el("q", said.comment));
  if (said.at) node.append(el("span", ` (${formatTime(said.at)})`, "when"));
  return node;
}

/** The fields of an agreement; read() gives the values as the API takes them. */
function agreementFields(prefix, agreement, network, withStatus) {
  const what = el("input");
  what.maxLength = WHAT_MAX;
  what.required = true;
  what.value = agreement?.what ?? "";

  const owner = el("select");
  const members = network.filter((member) => member.state !== "removed");
  for (const member of members) {
    const option = el(
      "option",
      `${member.name || member.organisation} (${organisationType(member.type)})`,
    );
    option.value = member.organisation;
    owner.append(option);
  }
  const ours = members.find((member) => member.me)?.organisation;
  owner.value = agreement?.owner_organisation ?? ours ?? members[0]?.organisation ?? "";

  // Who of the owner organisation (optional): chosen from a list of names (never typed, issue 24),
  // our colleagues and the owner's contact person for this family; the one already set stays.
  const person = el("select");
  let chosen = agreement?.owner?.username ?? "";
  person.addEventListener("change", () => (chosen = person.value));
  let people = [];
  const fillPeople = () => {
    const offered = owner.value === ours ? [...people] : [];
    const contact = members.find((member) => member.organisation === owner.value)?.assigned;
    const current = agreement?.owner_organisation === owner.value ? agreement?.owner : null;
    for (const extra of [contact, current]) {
      if (extra && !offered.some((p) => p.username === extra.username)) offered.push(extra);
    }
    const nobody = el("option", t("agreementPersonAny"));
    nobody.value = "";
    person.replaceChildren(
      nobody,
      ...offered.map((colleague) => {
        const name = colleague.name || colleague.username;
        const option = el("option", colleague.role ? `${name} (${colleague.role})` : name);
        option.value = colleague.username;
        return option;
      }),
    );
    person.value = offered.some((p) => p.username === chosen) ? chosen : "";
  };
  fillPeople();
  colleagues()
    .then((list) => {
      people = list;
      fillPeople();
    })
    .catch(() => {});
  owner.addEventListener("change", fillPeople);

  const when = el("select");
  for (const kind of ["none", "date", "pregnancy", "postpartum"]) {
    const option = el("option", t(`when_${kind}`));
    option.value = kind;
    when.append(option);
  }
  const date = el("input");
  date.type = "date";
  const week = el("input");
  week.type = "number";
  week.min = "0";
  week.max = String(MAX_WEEK.postpartum);
  week.inputMode = "numeric";
  if (agreement?.due_date) {
    when.value = "date";
    date.value = agreement.due_date;
  } else if (agreement?.due_moment?.stage) {
    when.value = agreement.due_moment.stage;
    week.value = agreement.due_moment.week ?? "";
  }
  const dateField = field(`${prefix}-date`, t("dueDate"), date);
  const weekField = field(`${prefix}-week`, t("dueWeek"), week);
  const showWhen = () => {
    dateField.hidden = when.value !== "date";
    weekField.hidden = !["pregnancy", "postpartum"].includes(when.value);
  };
  when.addEventListener("change", showWhen);
  showWhen();

  let status = null;
  if (withStatus) {
    status = el("select");
    for (const id of STATUSES) {
      const option = el("option", t(`agreement_${id}`));
      option.value = id;
      status.append(option);
    }
    status.value = agreement?.status ?? "open";
  }
  const visible = checkField(
    `${prefix}-visible`,
    t("visibleToParents"),
    agreement?.visible_to_parents ?? true,
  );

  const nodes = [
    field(`${prefix}-what`, t("agreementWhat"), what, t("agreementWhatHint")),
    field(`${prefix}-owner`, t("agreementOwner"), owner),
    field(`${prefix}-person`, t("agreementPerson"), person, t("agreementPersonHint")),
    field(`${prefix}-when`, t("agreementWhen"), when),
    dateField,
    weekField,
    status ? field(`${prefix}-status`, t("agreementStatus"), status) : null,
    visible.node,
  ];

  // A date in the past is asked about first: saved only when chosen again (issue 24).
  let pastConfirmed = agreement?.due_date ?? null;
  /** The values, or false after pointing at the first field that needs attention. */
  const read = () => {
    for (const control of [what, date, week]) clearFieldError(control);
    if (!what.value.trim()) return showFieldError(what, t("whatRequired"));
    const values = {
      what: what.value.trim(),
      owner_organisation: owner.value,
      owner_username: person.value || null,
      due_date: null,
      due_moment: null,
      visible_to_parents: visible.box.checked,
    };
    if (when.value === "date") {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date.value)) return showFieldError(date, t("dateRequired"));
      const today = new Date().toLocaleDateString("sv-SE"); // YYYY-MM-DD, local
      if (date.value < today && pastConfirmed !== date.value) {
        pastConfirmed = date.value;
        return showFieldError(date, t("datePastConfirm"));
      }
      values.due_date = date.value;
    } else if (when.value !== "none") {
      const number = weekOf(when.value, week.value);
      if (number === null)
        return showFieldError(week, fill("weekRequired", { max: MAX_WEEK[when.value] }));
      values.due_moment = { stage: when.value, week: number };
    }
    if (status) values.status = status.value;
    return values;
  };
  return { nodes, read };
}

const same = (a, b) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** Only what changed, as PATCH takes it. */
function changes(agreement, values) {
  const before = {
    what: agreement.what,
    owner_organisation: agreement.owner_organisation,
    owner_username: agreement.owner?.username ?? null,
    due_date: agreement.due_date ?? null,
    due_moment: agreement.due_moment ?? null,
    visible_to_parents: agreement.visible_to_parents ?? true,
    status: agreement.status,
  };
  const body = {};
  for (const [key, value] of Object.entries(values)) {
    if (!same(before[key], value)) body[key] = value;
  }
  return body;
}

function details(summaryText, content, className) {
  const node = el("details", null, className);
  node.append(el("summary", summaryText), content);
  return node;
}

function agreementItem(agreement, network, api) {
  const id = agreement.id;
  const item = el("li", null, agreement.overdue ? "agreement overdue" : "agreement");
  item.dataset.agreementId = id;
  const heading = el("h4", agreement.what);
  heading.id = `agreement-${id}-title`;
  heading.tabIndex = -1;
  item.append(heading);
  const badges = el("p", null, "badges");
  badges.append(...agreementBadges(agreement));
  item.append(badges);

  const facts = el("dl", null, "facts");
  facts.append(el("dt", t("agreementOwner")), el("dd", ownerText(agreement)));
  facts.append(el("dt", t("agreementWhen")), el("dd", dueText(agreement)));
  if (agreement.created_by) {
    const by = [
      agreement.created_by.role,
      agreement.created_by.organisation_name ?? agreement.created_by.organisation,
    ]
      .filter(Boolean)
      .join(", ");
    facts.append(
      el("dt", t("agreementCreatedBy")),
      el("dd", agreement.created_at ? `${by}, ${formatTime(agreement.created_at)}` : by),
    );
  }
  item.append(facts);
  const said = parentsSay(agreement);
  if (said) item.append(said);

  if (agreement.comments?.length) {
    const list = el("ul", null, "comments");
    list.setAttribute("aria-label", fill("commentsOn", { what: agreement.what }));
    for (const comment of agreement.comments) {
      const who =
        comment.by === "parent"
          ? fill("fromParentCapital", { parent: t(comment.role ?? "theParents") })
          : [comment.role, comment.organisation_name || comment.organisation]
              .filter(Boolean)
              .join(", ");
      const line = el("li");
      line.append(
        el("strong", `${who}: `),
        comment.text,
        el("span", ` (${formatTime(comment.at)})`, "when"),
      );
      list.append(line);
    }
    item.append(list);
  }

  const actions = el("div", null, "actions");
  const title = `#agreement-${id}-title`;
  if (agreement.status === "open") {
    actions.append(
      button(
        t("markDone"),
        () => api.patch(id, { status: "done" }, "agreementDone", title),
        "secondary",
      ),
    );
  } else {
    // A done or cancelled agreement can only be reopened (as {"status":"open"} alone).
    actions.append(
      button(
        t("reopen"),
        () => api.patch(id, { status: "open" }, "agreementReopened", title),
        "secondary",
      ),
    );
  }
  item.append(actions);

  if (agreement.status === "open") {
    const fields = agreementFields(`agreement-${id}`, agreement, network, true);
    const edit = form(
      "agreement-form",
      () => {
        const values = fields.read();
        if (!values) return;
        const body = changes(agreement, values);
        if (!Object.keys(body).length) return api.nothing();
        api.patch(id, body, "agreementSaved", title);
      },
      ...fields.nodes,
      submitButton(t("save")),
    );
    item.append(details(t("editAgreement"), edit, "edit"));
  }

  const text = el("textarea");
  text.maxLength = COMMENT_MAX;
  text.rows = 2;
  const comment = form(
    "comment-form",
    () => {
      clearFieldError(text);
      if (!text.value.trim()) return showFieldError(text, t("commentRequired"));
      return api.comment(id, text.value.trim(), title);
    },
    field(`agreement-${id}-comment`, t("comment"), text),
    submitButton(t("addComment"), "secondary"),
  );
  item.append(details(t("addComment"), comment, "comment"));
  return item;
}

/**
 * The agreements part of the family page. api: {create(body), patch(id, body, doneKey, focus),
 * comment(id, text, focus), nothing()} — the family page posts, reloads and says what happened.
 */
export function agreementsSection(node, data, api) {
  const agreements = data.agreements ?? [];
  const network = data.network ?? [];
  if (!agreements.length) node.append(el("p", t("agreementsEmpty"), "hint"));
  else {
    const list = el("ul", null, "agreements");
    for (const agreement of agreements) list.append(agreementItem(agreement, network, api));
    node.append(list);
  }
  if (!state.me) return node;
  const fields = agreementFields("agreement-new", null, network, false);
  const create = form(
    "agreement-form",
    () => {
      const values = fields.read();
      if (!values) return;
      const body = { what: values.what, owner_organisation: values.owner_organisation };
      if (values.owner_username) body.owner_username = values.owner_username;
      if (values.due_date) body.due_date = values.due_date;
      if (values.due_moment) body.due_moment = values.due_moment;
      body.visible_to_parents = values.visible_to_parents;
      api.create(body);
    },
    ...fields.nodes,
    submitButton(t("addAgreement")),
  );
  node.append(details(t("newAgreement"), create, "new-agreement"));
  return node;
}
