// The widget's styles, adopted as a constructable stylesheet: allowed under `style-src 'self'`
// (a <style> element or style="" attribute is not). Sites theme the widget with the --kindband-*
// custom properties (docs/widget.md); nothing else from the host page reaches inside.

const css = `
:host {
  all: initial;
  display: block;
  font-family: var(--kindband-font-family, system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif);
  font-size: var(--kindband-font-size, 1.0625rem);
  line-height: 1.5;
  color: var(--kindband-text, #1f2328);
}
:host([hidden]) { display: none; }
*, *::before, *::after { box-sizing: border-box; }
.kb {
  background: var(--kindband-background, #ffffff);
  border: 1px solid var(--kindband-border, #6b7280);
  border-radius: var(--kindband-radius, 12px);
  padding: clamp(0.75rem, 4vw, 1.5rem);
  max-width: var(--kindband-max-width, 40rem);
  margin: 0 auto;
  overflow-wrap: break-word;
}
.kb-top { display: flex; justify-content: flex-end; margin-bottom: 0.5em; }
h2 { font-size: 1.4em; line-height: 1.25; margin: 0 0 0.6em; }
h3 { font-size: 1.15em; margin: 1.2em 0 0.4em; }
h4 { font-size: 1em; margin: 1em 0 0.3em; }
h2:focus, h3:focus { outline: none; }
.kb-screen [data-focus], .kb-screen h2, .kb-help-slot { scroll-margin-top: 0.5em; }
h2:focus-visible { outline: 3px solid var(--kindband-focus, #1a56db); outline-offset: 4px; }
p { margin: 0 0 0.8em; }
ul, ol { margin: 0 0 0.8em; padding-left: 1.4em; }
a { color: var(--kindband-link, #0b4f9c); }
button, input, textarea { font: inherit; color: inherit; }
.kb-button {
  display: inline-flex; align-items: center; justify-content: center;
  min-height: 2.75em; padding: 0.5em 1.2em; margin: 0.25em 0.5em 0.25em 0;
  border-radius: var(--kindband-button-radius, 8px);
  border: 2px solid var(--kindband-accent, #0b5cad);
  background: var(--kindband-accent, #0b5cad);
  color: var(--kindband-accent-text, #ffffff);
  font-weight: 600; cursor: pointer; text-align: center;
}
.kb-button:hover { filter: brightness(0.92); }
.kb-button.kb-secondary { background: transparent; color: var(--kindband-accent, #0b5cad); }
.kb-button.kb-link {
  background: transparent; border-color: transparent; color: var(--kindband-link, #0b4f9c);
  text-decoration: underline; padding-left: 0.2em; padding-right: 0.2em; font-weight: 400;
}
.kb-button.kb-danger { background: transparent; color: var(--kindband-danger, #b42318); border-color: var(--kindband-danger, #b42318); }
.kb-button:focus-visible, .kb-lang:focus-visible, input:focus-visible, textarea:focus-visible, select:focus-visible, summary:focus-visible {
  outline: 3px solid var(--kindband-focus, #1a56db); outline-offset: 2px;
}
.kb-lang {
  background: transparent; border: 1px solid var(--kindband-border, #6b7280); border-radius: 999px;
  padding: 0.2em 0.9em; min-height: 2.2em; cursor: pointer; color: var(--kindband-link, #0b4f9c);
}
.kb-lang-failed { margin: 0.3em 0; color: var(--kindband-danger, #b42318); }
.kb-actions { display: flex; flex-wrap: wrap; align-items: center; margin-top: 1em; }
.kb-progress { margin-bottom: 1em; }
.kb-progress h2 { font-size: 1em; font-weight: 600; margin: 0 0 0.3em; }
progress { width: 100%; height: 0.6em; accent-color: var(--kindband-accent, #0b5cad); }
.kb-instrument { font-size: 0.9em; color: var(--kindband-muted, #4b5563); margin: 0 0 0.3em; }
.kb-period { color: var(--kindband-muted, #4b5563); }
fieldset { border: 0; margin: 0; padding: 0; min-width: 0; }
legend { font-size: 1.2em; font-weight: 600; margin-bottom: 0.6em; padding: 0; }
.kb-option {
  display: flex; gap: 0.75em; align-items: center;
  min-height: 2.75em; padding: 0.6em 0.9em; margin: 0.5em 0;
  border: 2px solid var(--kindband-border, #6b7280); border-radius: 8px; cursor: pointer;
  background: var(--kindband-background, #ffffff);
}
.kb-option:has(input:checked) {
  border-color: var(--kindband-accent, #0b5cad);
  background: var(--kindband-accent-soft, #e8f1fb);
}
.kb-option:focus-within { outline: 3px solid var(--kindband-focus, #1a56db); outline-offset: 2px; }
.kb-option input { flex: none; width: 1.25em; height: 1.25em; margin: 0; accent-color: var(--kindband-accent, #0b5cad); }
.kb-option input:focus-visible { outline: none; }
.kb-field { margin: 0.6em 0; }
.kb-field label { display: block; font-weight: 600; margin-bottom: 0.2em; }
.kb-field input, .kb-field textarea {
  width: 100%; padding: 0.5em; border: 2px solid var(--kindband-border, #6b7280); border-radius: 6px;
  background: var(--kindband-background, #ffffff);
}
.kb-field select { width: 100%; padding: 0.5em; border: 2px solid var(--kindband-border, #6b7280); border-radius: 6px; background: var(--kindband-background, #ffffff); font: inherit; color: inherit; }
.kb-sublist { margin: 0 0 0.5em 1.5em; }
.kb-keep { margin-top: 1em; }
.kb-keep .kb-hint { margin-top: 0.2em; }
.kb-error { color: var(--kindband-danger, #b42318); font-weight: 600; }
.kb-hint { color: var(--kindband-muted, #4b5563); font-size: 0.95em; }
.kb-help {
  border: 2px solid var(--kindband-help-border, #1f6f50);
  background: var(--kindband-help-background, #eaf6f0);
  border-radius: 10px; padding: 0.8em 1em; margin: 0 0 1em;
}
.kb-help h2 { font-size: 1.15em; margin-bottom: 0.4em; }
.kb-help h2:focus-visible { outline: 3px solid var(--kindband-focus, #1a56db); outline-offset: 2px; }
.kb-help a { color: var(--kindband-help-link, #0d4a33); font-weight: 600; }
.kb-help-lead { margin-bottom: 0.3em; }
.kb-help-calls { display: flex; flex-wrap: wrap; gap: 0.4em; margin-bottom: 0.3em; }
.kb-help a.kb-call {
  display: inline-flex; align-items: center; min-height: 2.75em; padding: 0.2em 0.8em;
  max-width: 100%; text-decoration: none;
  border: 2px solid var(--kindband-help-border, #1f6f50); border-radius: 999px;
  background: var(--kindband-background, #ffffff);
}
.kb-help a.kb-call:focus-visible { outline: 3px solid var(--kindband-focus, #1a56db); outline-offset: 2px; }
.kb-help-actions { display: flex; flex-wrap: wrap; align-items: center; }
.kb-help-actions .kb-button { margin-bottom: 0; }
.kb-help-compact { padding: 0.4em 0.8em; }
.kb-help-compact h2 { font-size: 1em; margin: 0 0 0.3em; }
.kb-help-compact .kb-help-lead { display: none; }
@media (min-height: 40em) and (min-width: 30em) {
  .kb-help-compact { position: sticky; top: 0; z-index: 1; }
  .kb:has(.kb-help-compact) .kb-screen :is(h2, input, button, a, select, textarea, summary) { scroll-margin-top: 9em; }
}
.kb-note { border-left: 4px solid var(--kindband-accent, #0b5cad); padding: 0.1em 0 0.1em 0.8em; margin: 1em 0; }
.kb-note h3 { margin-top: 0.2em; }
.kb-code { font-size: 1.4em; font-weight: 700; letter-spacing: 0.08em; }
@media print {
  .kb-actions, .kb-footer, .kb-top, .kb-help-actions, details { display: none !important; }
  .kb { border: 0; }
}
.kb-card { border-top: 1px solid var(--kindband-border, #6b7280); padding-top: 0.6em; margin-top: 1em; }
.kb-score { font-size: 1.1em; font-weight: 600; }
dl { margin: 0 0 1em; }
dt { font-weight: 600; margin-top: 0.5em; }
dd { margin: 0 0 0 1em; }
pre {
  white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.85em;
  background: var(--kindband-code-background, #f3f4f6); padding: 0.6em; border-radius: 6px;
}
code { overflow-wrap: anywhere; }
details { margin: 0.8em 0; }
summary { cursor: pointer; color: var(--kindband-link, #0b4f9c); }
.kb-footer { margin-top: 1.5em; border-top: 1px solid var(--kindband-border, #6b7280); padding-top: 0.6em; }
.kb-actions > .kb-confirm { flex-basis: 100%; }
.kb-confirm { border: 2px solid var(--kindband-danger, #b42318); border-radius: 8px; padding: 0.6em 0.9em; margin-top: 0.5em; }
.kb-trend { width: 100%; max-width: 20em; height: auto; display: block; margin: 0.5em 0; }
.kb-trend polyline { fill: none; stroke: var(--kindband-accent, #0b5cad); stroke-width: 2; }
.kb-trend circle { fill: var(--kindband-accent, #0b5cad); }
.kb-trend line { stroke: var(--kindband-border, #6b7280); stroke-width: 1; }
table { border-collapse: collapse; margin: 0.5em 0 1em; }
th, td { text-align: left; padding: 0.2em 1em 0.2em 0; border-bottom: 1px solid var(--kindband-border, #6b7280); }
.kb-visually-hidden {
  position: absolute !important; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap;
}
@media (prefers-reduced-motion: no-preference) { .kb-option { transition: border-color 0.1s; } }
`;

let sheet = null;

/** Gives a shadow root the widget's styles (one sheet shared by all widgets on the page). */
export function adoptStyles(shadowRoot) {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
  }
  shadowRoot.adoptedStyleSheets = [sheet];
}
