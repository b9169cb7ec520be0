// The result and the screens after it: the result, sharing (choice, preview, "nothing shared"), the
// receipts and the history. A separate file (build/web/screens/outcome.js), not in the entry script:
// the first screens never need it, so a page load does not fetch it. kindband-screen.js asks for it
// when the parent reaches the last question (it is there by the time they ask for the result), or
// when a screen of it is opened first (e.g. "Wat ik gedeeld heb" on the start screen). It carries
// code only: fetching it sends nothing about the parent.
import { renderResult } from "./result.js";
import { renderShare, renderPreview, renderNothingShared } from "./share.js";
import { recipientNames, responseTimes, routeOf } from "./recipients.js";
import { renderReceipts } from "./receipts.js";
import { renderHistory, renderTrend } from "./history.js";

/** The screens by name (kindband-screen.js, renderScreen) and what the share flow needs of them. */
export const OUTCOME = {
  screens: {
    result: renderResult,
    share: renderShare,
    preview: renderPreview,
    nothing: renderNothingShared,
    receipts: renderReceipts,
    history: renderHistory,
  },
  recipientNames,
  responseTimes,
  routeOf,
  renderTrend,
};
