// "Download as FHIR" on an open share (docs/fhir.md): fetches GET /api/v1/inbox/shares/{id}/fhir
// (the same access rules as reading the share; the server audits it as share_fhir_export) and
// saves the Bundle as kindband-<id>.fhir.json. inbox.js keeps the open share's id in
// #detail-section's data-share-id.
import { $, accessText, say, t } from "./common.js";

async function downloadFhir() {
  const id = $("detail-section").dataset.shareId;
  if (!id) return;
  say(t("loading"));
  const response = await fetch(`/api/v1/inbox/shares/${encodeURIComponent(id)}/fhir`, {
    credentials: "same-origin",
  });
  if (!response.ok) {
    const data = await response.json().catch(() => null);
    const error = Object.assign(new Error(data?.message || `HTTP ${response.status}`), {
      status: response.status,
      code: data?.error,
    });
    say("");
    $("error").textContent = accessText(error) ?? error.message;
    return;
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = `kindband-${id}.fhir.json`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  say(t("fhirDownloaded"));
}

$("download-fhir").addEventListener("click", () => {
  downloadFhir().catch((error) => {
    $("error").textContent = error.message || String(error);
  });
});
