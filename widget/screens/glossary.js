// Words a parent may not know, explained in a line wherever a screen shows them (issue 24): the
// names of questionnaires and of kinds of care that come from the instruments' advice. A separate
// file, fetched only when a screen shows one of these words (screens/ways.js); it imports nothing.

const WORDS = [
  [
    /Patient Health Questionnaire/i,
    {
      nl: "PHQ (Patient Health Questionnaire) is de Engelse naam van een vragenlijst over je stemming. Zorgverleners gebruiken hem veel.",
      en: "The PHQ (Patient Health Questionnaire) is a questionnaire about your mood. Care providers use it a lot.",
    },
  ],
  [
    /POP-poli/i,
    {
      nl: "De POP-poli is een afdeling van het ziekenhuis. Daar helpen een psychiater, een verloskundige of gynaecoloog en een kinderarts samen als je psychische klachten hebt rond je zwangerschap of bevalling.",
      en: "The POP clinic (POP-poli) is a hospital department where a psychiatrist, a midwife or obstetrician and a paediatrician work together when you have mental health problems around pregnancy or birth.",
    },
  ],
  [
    /infant mental health/i,
    {
      nl: "Infant mental health (IMH) is hulp bij de band tussen jou en je baby, voor ouder en baby samen.",
      en: "Infant mental health (IMH) is help with the bond between you and your baby, for parent and baby together.",
    },
  ],
];

/** The explanations of the words in `text`, in `lang` ("nl" or "en"), each once. */
export function explain(lang, text) {
  return WORDS.filter(([word]) => word.test(text)).map(([, lines]) => lines[lang] || lines.nl);
}
