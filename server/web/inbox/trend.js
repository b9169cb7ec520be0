// The trend of one instrument's scores in a family: a small SVG line per parent (circle: mother,
// square: partner) plus the same points as a table, which is what a screen reader reads. Built with
// DOM APIs; its look is in inbox.css (the CSP allows no inline styles).
import { bandText, el, fill, shortMoment, momentText, t, table } from "./common.js";

const SVG = "http://www.w3.org/2000/svg";
const WIDTH = 320;
const HEIGHT = 170;
const LEFT = 38;
const RIGHT = 26;
const TOP = 12;
const BOTTOM = 40;

function svg(tag, attributes = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = String(text);
  return node;
}

function marker(parent, x, y, positive) {
  const className = `trend-point ${parent === "partner" ? "partner" : "mother"}${positive ? " positive" : ""}`;
  if (parent === "partner") {
    return svg("rect", { x: x - 5, y: y - 5, width: 10, height: 10, class: className });
  }
  return svg("circle", { cx: x, cy: y, r: 5.5, class: className });
}

/**
 * A figure for one instrument: points are the trend entries in the server's order (pregnancy
 * before postpartum, then week), spread evenly left to right; range is {min, max} (max may be
 * undefined: then the highest score).
 */
export function trendFigure(id, name, points, range, positiveOf) {
  const scores = points.map((point) => point.score).filter((score) => typeof score === "number");
  const min = range?.min ?? Math.min(0, ...scores);
  let max = range?.max ?? Math.max(1, ...scores);
  if (max <= min) max = min + 1;
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const x = (index) =>
    points.length === 1 ? LEFT + plotWidth / 2 : LEFT + (plotWidth * index) / (points.length - 1);
  const y = (score) => TOP + plotHeight - ((score - min) / (max - min)) * plotHeight;

  const figure = el("figure", null, "trend");
  const titleId = `trend-title-${id}`;
  const summary = points
    .map(
      (point) =>
        `${momentText(point.stage, point.week)} (${t(point.parent) ?? ""}): ${point.score ?? "–"}`,
    )
    .join("; ");
  const chart = svg("svg", {
    viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
    role: "img",
    "aria-labelledby": titleId,
    class: "trend-chart",
    focusable: "false",
  });
  chart.append(
    svg(
      "title",
      { id: titleId },
      fill("trendSummary", { instrument: name, range: `${min}–${max}`, points: summary }),
    ),
  );

  // Grid: bottom, middle and top of the scale, labelled.
  for (const value of [min, (min + max) / 2, max]) {
    const rounded = Math.round(value * 10) / 10;
    chart.append(
      svg("line", { x1: LEFT, x2: WIDTH - RIGHT, y1: y(value), y2: y(value), class: "trend-grid" }),
      svg("text", { x: LEFT - 6, y: y(value) + 4, class: "trend-axis end" }, rounded),
    );
  }
  // One line per parent: two people's scores are never joined into one line.
  for (const parent of ["mother", "partner"]) {
    const own = points
      .map((point, index) => ({ point, index }))
      .filter(({ point }) => point.parent === parent && typeof point.score === "number");
    if (own.length > 1) {
      chart.append(
        svg("polyline", {
          points: own.map(({ point, index }) => `${x(index)},${y(point.score)}`).join(" "),
          class: `trend-line ${parent}`,
        }),
      );
    }
  }
  points.forEach((point, index) => {
    chart.append(
      svg(
        "text",
        { x: x(index), y: HEIGHT - BOTTOM + 18, class: "trend-axis middle" },
        shortMoment(point.stage, point.week),
      ),
    );
    if (typeof point.score === "number") {
      chart.append(marker(point.parent, x(index), y(point.score), positiveOf(point)));
    }
  });
  figure.append(chart);
  figure.append(el("figcaption", t("legend"), "hint"));

  const rows = points.map((point) => [
    `${momentText(point.stage, point.week)} (${t(point.parent)})`,
    point.score === null || point.score === undefined ? t("incomplete") : String(point.score),
    bandText(point.band_label),
  ]);
  figure.append(table([t("trendMoment"), t("score"), t("band")], rows, name));
  return figure;
}
