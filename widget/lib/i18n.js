// Parent-facing texts of the widget in Dutch (B1 level) and English. Questionnaire wording and advice
// come from the engine (instrument data); only the widget's own words live here. Dutch is here in
// full; of English only what is shown while the rest comes (screens/texts-en.js, addLanguage).
// A text may contain {name} placeholders, filled by t(lang, key, values).

export const LANGUAGES = ["nl", "en"];

const TEXTS = {
  nl: {
    language_name: "Nederlands",
    switch_language: "English",
    language_failed:
      "De andere taal kan nu niet worden geladen. Controleer je internetverbinding en probeer het opnieuw.",
    switch_language_label: "Switch to English",
    loading: "Even geduld, de vragenlijst wordt geladen…",
    load_failed: "De vragenlijst kan nu niet worden geladen. Probeer het later nog eens.",
    wording_failed:
      "De tekst van de vragenlijst kan nu niet worden geladen. Probeer het later nog eens.",
    unknown_instrument: "Deze vragenlijst bestaat niet: {id}.",
    not_available:
      "De vragenlijst {name} is niet beschikbaar in het Nederlands. De organisatie heeft de tekst van de vragen niet geleverd.",
    start_title: "Hoe gaat het met je?",
    start_intro:
      "Met deze korte vragenlijst kijk je hoe het met je gaat. Je krijgt meteen uitleg over je uitslag en tips wat je kunt doen.",
    start_parts: "Vragenlijst: {names}.",
    start_time: "Het invullen duurt ongeveer {minutes} {minutes_word}. Er zijn {count} vragen.",
    minute: "minuut",
    minutes: "minuten",
    start_privacy:
      "Je antwoorden blijven op dit apparaat. Niemand anders ziet ze, tenzij jij zelf kiest om ze te delen.",
    start_no_right_answer:
      "Er zijn geen goede of foute antwoorden. Kies wat het beste bij je past.",
    start_button: "Begin",
    continue_button: "Ga verder waar je was",
    restart_button: "Opnieuw beginnen",
    my_shares: "Wat ik gedeeld heb ({count})",
    shares_waiting: "Nog niet verstuurd: {count}. Dat gebeurt vanzelf zodra er weer internet is.",
    my_history: "Mijn eerdere uitslagen ({count})",
    question_progress: "Vraag {current} van {total}",
    progress_label: "Voortgang",
    back: "Vorige",
    next: "Volgende",
    to_result: "Naar de uitslag",
    skip_allowed: "Deze vraag mag je overslaan.",
    choose_answer: "Kies een antwoord om verder te gaan.",
    help_title: "Hulp als je nu met iemand wilt praten",
    help_intro:
      "Je antwoord laat zien dat het nu zwaar voor je kan zijn. Je staat er niet alleen voor.",
    help_113:
      "Praat anoniem met 113 Zelfmoordpreventie: bel {short} of gratis {free}, of chat via 113.nl. Dag en nacht.",
    help_bar: "113 Zelfmoordpreventie: dag en nacht, ook anoniem. In direct gevaar: bel 112.",
    help_call: "Bel {number}",
    help_call_free: "Bel {number} (gratis)",
    help_more: "Meer hulp en uitleg",
    help_less: "Minder tonen",
    help_back: "Terug naar de vraag",
    help_gp: "Bel je huisarts. In de avond, nacht of het weekend: bel de huisartsenpost.",
    result_title: "Je uitslag",
    result_score: "Je score: {score} (van {min} tot {max})",
    result_scale_score: "{name}: {score} (van {min} tot {max})",
    result_incomplete: "Niet alle vragen zijn ingevuld. Daarom is er geen score.",
    result_no_advice: "Bespreek je uitslag met je verloskundige of huisarts als je vragen hebt.",
    result_wording_not_validated:
      "Let op: deze vertaling is van Kindband en is niet getest (niet gevalideerd). Je uitslag is daardoor minder zeker. Bespreek hem met je zorgverlener.",
    result_next_steps: "Wat kun je doen?",
    result_disclaimer:
      "Deze vragenlijst is geen diagnose. Het is een hulpmiddel om te praten over hoe het met je gaat.",
    keep_history: "Bewaar mijn uitslagen op dit apparaat (alleen de scores, niet je antwoorden)",
    keep_history_hint:
      "Dan zie je de volgende keer je eerdere uitslagen. Je kunt ze altijd weer wissen.",
    share_button: "Delen met mijn zorgverlener",
    done_button: "Klaar",
    share_not_configured: "Deze website biedt geen mogelijkheid om je uitslag te delen.",
    history_title: "Mijn eerdere uitslagen",
    history_trend_lower: "Je score is lager dan de vorige keer.",
    history_trend_higher: "Je score is hoger dan de vorige keer.",
    history_trend_same: "Je score is hetzelfde als de vorige keer.",
    history_chart_label: "Verloop van je score bij {name}",
    history_none: "Er zijn nog geen eerdere uitslagen bewaard.",
    history_date: "Datum",
    history_score: "Score",
    share_title: "Wil je je uitslag delen?",
    share_intro:
      "Je kunt je uitslag sturen naar {org}. Dan kan een zorgverlener met je meekijken. Jij kiest wat je deelt.",
    share_what: "Wat wil je delen?",
    share_nothing: "Niets delen",
    share_result: "Mijn uitslag en het advies",
    share_answers: "Mijn uitslag, het advies en al mijn antwoorden",
    share_contact: "Mag de zorgverlener contact met je opnemen? (niet verplicht)",
    contact_name: "Naam",
    contact_phone: "Telefoonnummer",
    contact_email: "E-mailadres",
    share_message: "Bericht aan de zorgverlener (niet verplicht)",
    share_preview_button: "Bekijk wat je verstuurt",
    share_nothing_button: "Verder zonder delen",
    nothing_shared: "Je hebt niets gedeeld. Je antwoorden blijven op dit apparaat.",
    preview_title: "Dit verstuur je",
    preview_to: "Naar",
    preview_questionnaire: "Vragenlijst",
    preview_what: "Wat",
    preview_score: "Score",
    preview_answers: "Je antwoorden",
    preview_contact: "Contactgegevens",
    preview_message: "Bericht",
    preview_none: "geen",
    preview_technical: "Technische weergave (precies deze gegevens worden verstuurd)",
    preview_confirm: "Ja, verstuur",
    preview_back: "Terug",
    answer_missing: "niet ingevuld",
    receipt_title: "Je bewijs van delen",
    receipt_intro:
      "Bewaar deze pagina of noteer de code. Hiermee kun je later zien of je uitslag is bekeken, of je deling intrekken.",
    receipt_code: "Code",
    receipt_state: "Status",
    state_queued: "Wacht op internet. Wordt verstuurd zodra er weer verbinding is.",
    state_sending: "Wordt verstuurd…",
    state_received: "Ontvangen. Nog niet bekeken.",
    state_seen: "Bekeken door de {role}.",
    state_seen_plain: "Bekeken door een zorgverlener.",
    state_withdrawn: "Ingetrokken. De gegevens zijn gewist.",
    state_failed: "Versturen is niet gelukt: {reason}",
    check_status: "Bekijk de status",
    withdraw: "Deling intrekken",
    withdraw_confirm: "Weet je het zeker? De zorgverlener kan je uitslag dan niet meer zien.",
    withdraw_yes: "Ja, intrekken",
    cancel: "Annuleren",
    status_offline: "Geen internet. Probeer het later nog eens.",
    shares_title: "Wat ik gedeeld heb",
    shares_none: "Je hebt vanaf dit apparaat nog niets gedeeld.",
    shared_on: "Gedeeld op {date}",
    back_to_start: "Terug naar het begin",
    back_to_result: "Terug naar de uitslag",
    remove_all: "Wis alles van dit apparaat",
    remove_all_confirm:
      "Dit wist je antwoorden, eerdere uitslagen en bewijzen van delen op dit apparaat. Nog niet verstuurde delingen worden ook gewist.",
    remove_all_yes: "Ja, wis alles",
    remove_all_family:
      "Jullie gezin staat dan niet meer op dit apparaat. Bij Kindband blijft het bestaan: met je herstelcode zet je het terug, of verwijder het eerst bij 'Ons zorgnetwerk'.",
    removed: "Alles is gewist van dit apparaat.",
    storage_unavailable:
      "Dit apparaat kan niets bewaren. Als je de pagina sluit, zijn je antwoorden weg.",
    error_prefix: "Er ging iets mis:",
    network_button: "Ons zorgnetwerk",
    news_check: "Kijk of er nieuws is",
    network_loading: "Even geduld…",
    network_load_failed: "Dit deel kan nu niet worden geladen. Probeer het later nog eens.",
    share_intro_network:
      "Je kunt je uitslag delen met jullie zorgnetwerk, of alleen deze keer met één organisatie. Jij kiest wat je deelt.",
    share_intro_coalition:
      "Je kunt je uitslag sturen naar een organisatie van {coalition}. Dan kan een zorgverlener met je meekijken. Jij kiest wat je deelt.",
    share_to: "Met wie wil je dit delen?",
    share_to_network: "Met ons zorgnetwerk",
    share_to_network_hint: "Alleen de organisaties die aangevinkt zijn krijgen dit te zien.",
    share_later_members: "Ook delen met organisaties die later bij ons netwerk komen",
    share_show_family: "Laat dit ook aan de andere ouder zien",
    share_show_family_hint:
      "De andere ouder ziet dan welke vragenlijst en wanneer, niet je antwoorden.",
    share_to_once: "Alleen deze keer, met {org}",
    share_to_once_pick: "Alleen deze keer, met één organisatie",
    share_pick_label: "Welke organisatie?",
    share_pick_none: "Kies een organisatie",
    share_pick_recipient: "Kies minstens één organisatie uit jullie zorgnetwerk.",
    share_pick_organisation: "Kies een organisatie.",
    share_network_failed:
      "Jullie zorgnetwerk kan nu niet worden opgehaald. Je kunt wel alleen deze keer delen.",
    preview_to_network: "{names} (jullie zorgnetwerk)",
    family_not_on_device: "dit apparaat hoort niet meer bij jullie gezin.",
    share_not_set_up_title: "Delen is niet ingesteld voor deze website",
    share_not_set_up:
      "Je uitslag kan vanaf deze website niet worden verstuurd. Hij blijft op dit apparaat. Laat hem zien aan je zorgverlener, of vraag hoe je hem kunt delen.",
    response_title: "Wanneer kijkt iemand ernaar?",
    response_line: "{org}: {text}",
    response_unknown: "{org} heeft niet laten weten hoe snel iemand ernaar kijkt.",
    not_emergency:
      "Delen is niet voor noodgevallen. Heb je nu hulp nodig? Bel 113 of gratis 0800-0113. In direct gevaar: bel 112.",
    contact_ask:
      "Je antwoorden laten zien dat het nu zwaar voor je kan zijn. Je hebt geen telefoonnummer of e-mailadres ingevuld. Wil je een manier toevoegen waarop de zorgverlener je kan bereiken?",
    contact_ask_yes: "Ja, ik vul het in",
    contact_ask_no: "Nee, ga verder zonder",
    preview_advice: "Uitslag in woorden en advies",
    receipt_code_hint: "Schrijf deze code op. Noem hem als je over je uitslag belt of mailt.",
    receipt_save: "Bewaar dit bewijs",
    receipt_print: "Print",
    restart_confirm:
      "Opnieuw beginnen? Je antwoorden en deze uitslag worden dan gewist van dit apparaat.",
    restart_yes: "Ja, opnieuw beginnen",
    result_shared_before: "Je hebt deze uitslag al gedeeld op {date}.",
    share_again_button: "Nog een keer delen",
    share_again_confirm:
      "Je hebt deze uitslag al gedeeld. Deel je hem nog een keer, dan krijgen ze hem twee keer. Wil je dat?",
    share_again_yes: "Ja, deel nog een keer",
    start_family_here: "Jullie gezin staat op dit apparaat. Open het bij 'Ons zorgnetwerk'.",
  },
  // The rest of the English texts: screens/texts-en.js (addLanguage), fetched for an English page
  // or when the parent switches.
  en: {
    language_name: "English",
    switch_language: "Nederlands",
    language_failed:
      "The other language cannot be loaded right now. Check your internet connection and try again.",
    switch_language_label: "Wissel naar Nederlands",
    loading: "One moment, the questionnaire is loading…",
    load_failed: "The questionnaire cannot be loaded right now. Please try again later.",
  },
};

/** The text for key in lang, with {placeholders} filled from values. Unknown keys are a bug: thrown. */
export function t(lang, key, values) {
  const text = (TEXTS[lang] || TEXTS.nl)[key];
  if (text === undefined) throw new Error(`i18n.js: no text "${key}" for language "${lang}"`);
  if (!values) return text;
  return text.replace(/\{(\w+)\}/g, (match, name) =>
    name in values ? String(values[name]) : match,
  );
}

/**
 * Adds texts (same shape: {nl: {...}, en: {...}}), e.g. those of a screen module that is loaded
 * only when needed. Existing keys are not replaced.
 */
export function addTexts(texts) {
  for (const lang of LANGUAGES) TEXTS[lang] = { ...texts[lang], ...TEXTS[lang] };
}

// The languages whose texts are all here: Dutch is in this script; English comes with
// screens/texts-en.js (kindband-screen.js, loadLanguage).
const complete = new Set(["nl"]);

/** Whether every text of `lang` is here (else only the few shown while the rest is fetched). */
export function hasLanguage(lang) {
  return complete.has(lang);
}

/** Adds the rest of a language's texts (screens/texts-<lang>.js, WIDGET). */
export function addLanguage(lang, texts) {
  TEXTS[lang] = { ...texts, ...TEXTS[lang] };
  complete.add(lang);
}

/** The keys of one language's texts (the tests check both languages have the same ones). */
export function textKeys(lang) {
  return Object.keys(TEXTS[lang]);
}

/** The language to use: the requested one when supported, else Dutch. */
export function pickLanguage(requested) {
  const lang = String(requested || "")
    .toLowerCase()
    .slice(0, 2);
  return LANGUAGES.includes(lang) ? lang : "nl";
}
