// How dates, numbers and a share's short code are written for a parent. Apart from the texts
// (lib/i18n.js), so that a screen file fetched later (screens/outcome.js) carries these few lines and
// not its own copy of every text.

/** A date in the parent's language, e.g. "22 november 2026". */
export function formatDate(lang, iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleDateString(lang === "en" ? "en-GB" : "nl-NL", {
    day: "numeric",
    month: "long",
    year: "numeric",
  });
}

/** A score (number) in the parent's language: 2.5 -> "2,5" in Dutch. */
export function formatNumber(lang, value) {
  return Number(value).toLocaleString(lang === "en" ? "en-GB" : "nl-NL");
}

/** The short code a parent can write down: the share id's first 8 characters, "3F9A-C21B". */
export function shortCode(shareId) {
  const head = String(shareId).replace(/-/g, "").slice(0, 8).toUpperCase();
  return `${head.slice(0, 4)}-${head.slice(4)}`;
}
