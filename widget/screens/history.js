// Opt-in history on this device: earlier scores per questionnaire, with a trend for repeated screens.
import { h, svg } from "../lib/dom.js";
import { formatDate, formatNumber } from "../lib/format.js";

const WIDTH = 300;
const HEIGHT = 100;
const PAD = 8;

/** The earlier results of one questionnaire: a table, a trend sentence and a small chart. */
export function renderTrend(w, id, def) {
  const entries = w.storage
    .history(id)
    .filter((entry) => entry.scales.length && entry.scales[0].score !== null);
  if (!entries.length) return null;
  const lang = w.state.lang;
  const scores = entries.map((entry) => entry.scales[0].score);
  const { min, max } = entries[entries.length - 1].scales[0];
  const name = def.short_name || id;
  let trend = null;
  if (scores.length >= 2) {
    const [previous, latest] = scores.slice(-2);
    trend =
      latest < previous
        ? "history_trend_lower"
        : latest > previous
          ? "history_trend_higher"
          : "history_trend_same";
  }
  const x = (index) =>
    PAD + (scores.length === 1 ? 0 : (index * (WIDTH - 2 * PAD)) / (scores.length - 1));
  const y = (score) => HEIGHT - PAD - ((score - min) * (HEIGHT - 2 * PAD)) / (max - min || 1);
  const chart =
    scores.length >= 2
      ? svg(
          "svg",
          {
            class: "kb-trend",
            viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
            role: "img",
            "aria-label": w.t("history_chart_label", { name }),
          },
          svg("line", { x1: PAD, y1: HEIGHT - PAD, x2: WIDTH - PAD, y2: HEIGHT - PAD }),
          svg("polyline", {
            points: scores.map((score, index) => `${x(index)},${y(score)}`).join(" "),
          }),
          scores.map((score, index) => svg("circle", { cx: x(index), cy: y(score), r: 4 })),
        )
      : null;
  return h(
    "div",
    { class: "kb-history", "data-history": id },
    h("h4", {}, w.t("history_title")),
    trend ? h("p", {}, w.t(trend)) : null,
    chart,
    h(
      "table",
      {},
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col" }, w.t("history_date")),
          h("th", { scope: "col" }, w.t("history_score")),
        ),
      ),
      h(
        "tbody",
        {},
        entries.map((entry) =>
          h(
            "tr",
            {},
            h("td", {}, formatDate(lang, entry.date)),
            h("td", {}, formatNumber(lang, entry.scales[0].score)),
          ),
        ),
      ),
    ),
  );
}

/** The history screen reached from the start screen. */
export function renderHistory(w) {
  const parts = w.ids.map((id) => {
    const trend = renderTrend(w, id, w.defs[id]);
    return trend ? [h("h3", {}, w.defs[id].short_name || id), trend] : null;
  });
  return [
    h("h2", { tabindex: "-1", "data-focus": true }, w.t("history_title")),
    parts.some(Boolean) ? parts : h("p", {}, w.t("history_none")),
    h(
      "div",
      { class: "kb-actions" },
      h(
        "button",
        { type: "button", class: "kb-button kb-secondary", onclick: () => w.go("start") },
        w.t("back_to_start"),
      ),
    ),
  ];
}
