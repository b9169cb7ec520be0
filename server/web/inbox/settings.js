// A professional's own notification mail (issue 23): the address, at once or a daily summary, and
// "on duty" (a safety share then mails at once). GET/PATCH /api/v1/inbox/me/notifications. A mail
// never says who or what, only that there is news (docs/care-network.md, "Notifications by e-mail").
import {
  $,
  api,
  checkField,
  clearFieldError,
  el,
  fail,
  field,
  say,
  showFieldError,
  t,
} from "./common.js";

let shown = null; // the settings on screen, drawn again when the interface language changes

export async function loadSettings() {
  const settings = await api("/api/v1/inbox/me/notifications");
  renderSettings(settings);
}

/** The settings again in the interface language (after it changed), as they were loaded. */
export function rerenderSettings() {
  if (shown) renderSettings(shown);
}

function renderSettings(settings) {
  shown = settings;
  const email = el("input");
  email.type = "email";
  email.autocomplete = "email";
  email.maxLength = 254;
  email.value = settings.email ?? "";
  const emailField = field("settings-email", t("settingsEmail"), email, t("settingsEmailHint"));

  const often = el("fieldset", null, "choices");
  often.append(el("legend", t("settingsDigest")));
  const choices = {};
  for (const value of ["immediate", "daily"]) {
    const row = el("div", null, "field check");
    const radio = el("input");
    radio.type = "radio";
    radio.name = "settings-digest";
    radio.id = `settings-digest-${value}`;
    radio.value = value;
    radio.checked = (settings.digest ?? "immediate") === value;
    const label = el("label", t(`settingsDigest_${value}`));
    label.htmlFor = radio.id;
    row.append(radio, label);
    often.append(row);
    choices[value] = radio;
  }
  const duty = checkField("settings-on-duty", t("settingsOnDuty"), settings.on_duty === true);

  const save = el("button", t("settingsSave"));
  save.type = "submit";
  const formNode = el("form", null, "settings-form");
  formNode.noValidate = true;
  formNode.append(emailField, often, duty.node, save);
  formNode.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearFieldError(email);
    const address = email.value.trim();
    if (address !== "" && !email.checkValidity())
      return showFieldError(email, t("settingsBadEmail"));
    try {
      const saved = await api("/api/v1/inbox/me/notifications", {
        method: "PATCH",
        body: {
          email: address === "" ? null : address,
          digest: choices.daily.checked ? "daily" : "immediate",
          on_duty: duty.box.checked,
        },
      });
      renderSettings(saved);
      say(saved.email ? t("settingsSaved") : t("settingsSavedNoMail"));
    } catch (error) {
      if (error.code === "invalid_email") return showFieldError(email, t("settingsBadEmail"));
      fail(error);
    }
  });
  $("settings").replaceChildren(
    el("p", settings.email ? t("settingsNow") : t("settingsNone"), "hint"),
    formNode,
  );
}
