// Receipts: the state of each share made on this device (queued offline, received, seen, withdrawn),
// with a status check and withdrawal. The receipt secret stays on this device.
import { h } from "../lib/dom.js";
import { formatDate, shortCode } from "../lib/format.js";
import { renderResponseNote } from "./share.js";
import { renderWayBack } from "./ways.js";

// "Save this receipt" (a file to keep, or print): its own file, fetched when pressed (issue 14).
function saveReceipt(w, records, how) {
  w.screenModule("receipt-file.js").then(
    (module) => module.saveReceipt(w, records, how, { shortCode, formatDate }),
    () => w.go(w.state.screen, { notice: w.t("network_load_failed") }),
  );
}

function stateText(w, record) {
  switch (record.state) {
    case "queued":
      return w.t("state_queued");
    case "sending":
      return w.t("state_sending");
    case "received":
      return caseText(w, record, null) || w.t("state_received");
    case "seen": {
      const seen = record.seen_by_role
        ? w.t("state_seen", { role: record.seen_by_role })
        : w.t("state_seen_plain");
      return caseText(w, record, seen) || seen;
    }
    case "withdrawn":
      return w.t("state_withdrawn");
    case "failed":
      return w.t("state_failed", {
        reason:
          record.error === "family_not_on_this_device"
            ? w.t("family_not_on_device")
            : record.error || "?",
      });
    default:
      return record.state;
  }
}

/**
 * What happens with the share (its case, from the last status check) in plain words. The words
 * come with the care-network screens' file, loaded when a receipt first has a case; until then
 * (a moment) the plain state shows.
 */
function caseText(w, record, seenLine) {
  if (!record.case) return null;
  if (w.networkScreens) return w.networkScreens.shareCaseWords(w, record.case, seenLine);
  w.networkModule().then(
    () => w.state.screen === "receipts" && w.render(),
    () => {}, // offline: the plain state stays
  );
  return null;
}

function renderRecord(w, record) {
  const status = h(
    "p",
    { class: "kb-state", "aria-live": "polite", "data-state": record.state },
    stateText(w, record),
  );
  const problem = h("p", { class: "kb-error", role: "alert", hidden: true });
  const report = (error) => {
    problem.hidden = false;
    problem.textContent =
      navigator.onLine === false
        ? w.t("status_offline")
        : `${w.t("error_prefix")} ${error.message}`;
  };
  // The question "are you sure?" stays open through a re-render (a status check or another tab
  // changing a share redraws this screen) until she answers it.
  const asking = w.withdrawAsked === record.share_id;
  const confirm = h(
    "div",
    { class: "kb-confirm", hidden: !asking },
    h("p", {}, w.t("withdraw_confirm")),
    h(
      "button",
      {
        type: "button",
        class: "kb-button kb-danger",
        onclick: () => {
          w.withdrawAsked = null;
          w.shares.withdraw(record.share_id).then(
            () => w.render(),
            (error) => report(error),
          );
        },
      },
      w.t("withdraw_yes"),
    ),
    h(
      "button",
      {
        type: "button",
        class: "kb-button kb-secondary",
        onclick: () => {
          w.withdrawAsked = null;
          confirm.hidden = true;
        },
      },
      w.t("cancel"),
    ),
  );
  const open = record.state !== "withdrawn" && record.state !== "failed";
  return h(
    "div",
    { class: "kb-card", "data-share": record.share_id },
    h("h3", {}, record.instrument_name || record.instrument_id),
    h("p", {}, w.t("shared_on", { date: formatDate(w.state.lang, record.created_at) })),
    h(
      "dl",
      {},
      h("dt", {}, w.t("receipt_code")),
      h(
        "dd",
        {},
        h("code", { class: "kb-code", "data-kb": "receipt-code" }, shortCode(record.share_id)),
        h("p", { class: "kb-hint" }, w.t("receipt_code_hint")),
      ),
      h("dt", {}, w.t("receipt_state")),
      h("dd", {}, status),
    ),
    record.response_times ? renderResponseNote(w, record.response_times) : null,
    problem,
    open
      ? h(
          "div",
          { class: "kb-actions" },
          record.receipt
            ? h(
                "button",
                {
                  type: "button",
                  class: "kb-button kb-secondary",
                  onclick: () =>
                    w.shares.refreshStatus(record.share_id).then(
                      () => w.render(),
                      (error) => report(error),
                    ),
                },
                w.t("check_status"),
              )
            : null,
          h(
            "button",
            {
              type: "button",
              class: "kb-button kb-danger",
              onclick: () => {
                w.withdrawAsked = record.share_id;
                confirm.hidden = false;
                confirm.querySelector("button")?.focus();
              },
            },
            w.t("withdraw"),
          ),
        )
      : null,
    confirm,
  );
}

export function renderReceipts(w) {
  const wanted = w.state.receiptIds;
  const records = w.shares.list().filter((record) => !wanted || wanted.includes(record.share_id));
  const fromShare = Boolean(wanted);
  return [
    h(
      "h2",
      { tabindex: "-1", "data-focus": true },
      w.t(fromShare ? "receipt_title" : "shares_title"),
    ),
    records.length ? h("p", {}, w.t("receipt_intro")) : h("p", {}, w.t("shares_none")),
    w.state.notice ? h("p", { role: "status" }, w.state.notice) : null,
    records.map((record) => renderRecord(w, record)),
    h(
      "div",
      { class: "kb-actions" },
      records.length
        ? [
            h(
              "button",
              {
                type: "button",
                class: "kb-button",
                onclick: () => saveReceipt(w, records, "file"),
              },
              w.t("receipt_save"),
            ),
            h(
              "button",
              {
                type: "button",
                class: "kb-button kb-secondary",
                onclick: () => saveReceipt(w, records, "print"),
              },
              w.t("receipt_print"),
            ),
          ]
        : null,
      h(
        "button",
        {
          type: "button",
          class: "kb-button kb-secondary",
          onclick: () => w.go(fromShare ? "result" : "start"),
        },
        w.t(fromShare ? "back_to_result" : "back_to_start"),
      ),
    ),
    renderWayBack(w, fromShare),
  ];
}
