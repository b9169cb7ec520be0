// Start screen: what this is, how long it takes, and that answers stay on this device.
import { h } from "../lib/dom.js";
import { renderRestart } from "./restart.js";

const SECONDS_PER_QUESTION = 10;

export function renderStart(w) {
  const { answers, notice } = w.state;
  const defs = w.ids.map((id) => w.defs[id]);
  const unavailable = w.unavailable();
  const count = defs.reduce((sum, def) => sum + def.items.length, 0);
  const minutes = Math.max(1, Math.ceil((count * SECONDS_PER_QUESTION) / 60));
  const started = Object.values(answers).some((list) => list.some((answer) => answer !== null));
  const shareCount = w.shares.list().length;
  const waiting = w.shares
    .list()
    .filter((record) => record.state === "queued" || record.state === "sending").length;
  const historyCount = w.ids.reduce((sum, id) => sum + w.storage.history(id).length, 0);

  const names = defs.map((def) => def.name || def.short_name || def.id);
  const actions = unavailable.length
    ? null
    : started
      ? [
          h(
            "button",
            { type: "button", class: "kb-button", onclick: () => w.start(false) },
            w.t("continue_button"),
          ),
          renderRestart(w),
        ]
      : h(
          "button",
          { type: "button", class: "kb-button", onclick: () => w.start(true) },
          w.t("start_button"),
        );

  return [
    h("h2", { tabindex: "-1", "data-focus": true }, w.t("start_title")),
    notice ? h("p", { role: "status" }, notice) : null,
    h("p", {}, w.t("start_intro")),
    h("p", {}, w.t("start_parts", { names: names.join(", ") })),
    unavailable.length
      ? unavailable.map((id) =>
          h(
            "p",
            { class: "kb-error", role: "alert" },
            w.t("not_available", { name: w.defs[id].short_name || id }),
          ),
        )
      : [
          h(
            "p",
            {},
            w.t("start_time", {
              minutes,
              minutes_word: w.t(minutes === 1 ? "minute" : "minutes"),
              count,
            }),
          ),
          h("p", {}, h("strong", {}, w.t("start_privacy"))),
          h("p", {}, w.t("start_no_right_answer")),
        ],
    w.storage.available ? null : h("p", { class: "kb-hint" }, w.t("storage_unavailable")),
    waiting ? h("p", { role: "status" }, w.t("shares_waiting", { count: waiting })) : null,
    h("div", { class: "kb-actions" }, actions),
    // A family kept on this device (any tab): offered here, never a second one started.
    w.endpoint && w.family.exists
      ? h("p", { "data-kb": "family-here" }, w.t("start_family_here"))
      : null,
    shareCount || historyCount || w.endpoint
      ? h(
          "div",
          { class: "kb-actions" },
          shareCount
            ? h(
                "button",
                {
                  type: "button",
                  class: "kb-button kb-link",
                  onclick: () => w.go("receipts", { receiptIds: null }),
                },
                w.t("my_shares", { count: shareCount }),
              )
            : null,
          historyCount
            ? h(
                "button",
                { type: "button", class: "kb-button kb-link", onclick: () => w.go("history") },
                w.t("my_history", { count: historyCount }),
              )
            : null,
          w.endpoint
            ? h(
                "button",
                { type: "button", class: "kb-button kb-link", onclick: () => w.openNetwork() },
                w.t("network_button"),
              )
            : null,
        )
      : null,
    // The family's news (screens/network.js): asked of the server only when the parent presses this.
    w.endpoint && w.family.exists
      ? w.networkScreens?.renderStartNews(w) ||
        h(
          "div",
          { class: "kb-actions" },
          h(
            "button",
            {
              type: "button",
              class: "kb-button kb-link",
              onclick: () =>
                w.networkModule().then(
                  (module) => module.checkForNews(w),
                  () => w.go("start", { notice: w.t("network_load_failed") }),
                ),
            },
            w.t("news_check"),
          ),
        )
      : null,
  ];
}
