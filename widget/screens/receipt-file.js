// "Save this receipt": the receipt as a small text file to keep, or printed. A separate file, fetched
// only when a parent presses one of the buttons. The file holds what the parent may want to show
// or look up later (code, date, to whom, when someone looks); never the receipt's secret, which
// stays in this browser.
// It imports nothing: the helpers come from the widget, so this file stays a few hundred bytes.

const WORDS = {
  nl: {
    title: "Bewijs van delen (Kindband)",
    code: "Code",
    date: "Gedeeld op",
    to: "Naar",
    what: "Vragenlijst",
    file: "kindband-bewijs",
  },
  en: {
    title: "Sharing receipt (Kindband)",
    code: "Code",
    date: "Shared on",
    to: "To",
    what: "Questionnaire",
    file: "kindband-receipt",
  },
};

/** The receipt in plain text, one block per share. */
export function receiptText(w, records, { shortCode, formatDate }) {
  const words = WORDS[w.state.lang] || WORDS.nl;
  const blocks = records.map((record) =>
    [
      `${words.code}: ${shortCode(record.share_id)}`,
      `${words.what}: ${record.instrument_name || record.instrument_id}`,
      `${words.date}: ${formatDate(w.state.lang, record.created_at)}`,
      record.recipient_names ? `${words.to}: ${record.recipient_names}` : null,
      ...(record.response_times || []).map(({ name, text }) =>
        text ? w.t("response_line", { org: name, text }) : w.t("response_unknown", { org: name }),
      ),
    ]
      .filter(Boolean)
      .join("\n"),
  );
  return [
    words.title,
    "",
    ...blocks.flatMap((block) => [block, ""]),
    w.t("not_emergency"),
    "",
  ].join("\n");
}

/** how: "file" downloads a .txt file; "print" prints the page (the widget's print styles). */
export function saveReceipt(w, records, how, helpers) {
  if (how === "print") return window.print();
  const { shortCode } = helpers;
  const words = WORDS[w.state.lang] || WORDS.nl;
  const blob = new Blob([receiptText(w, records, helpers)], { type: "text/plain;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = `${words.file}-${shortCode(records[0].share_id)}.txt`;
  w.shadowRoot.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
