// Tiny DOM builders. Text always goes in as text nodes (never innerHTML), so instrument and user text
// cannot inject markup. `style` attributes are refused: a strict CSP (style-src 'self') blocks them.

const PROPERTIES = new Set(["checked", "disabled", "value", "hidden", "max", "open"]);

function apply(el, props) {
  for (const [key, value] of Object.entries(props || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "style") throw new Error("dom.js: style attributes are blocked by a strict CSP");
    if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (PROPERTIES.has(key) && el.namespaceURI === XHTML) {
      el[key] = value;
    } else {
      el.setAttribute(key, value === true ? "" : String(value));
    }
  }
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

const XHTML = "http://www.w3.org/1999/xhtml";
const SVG = "http://www.w3.org/2000/svg";

/** Creates an HTML element: h("p", {class: "x"}, "text", otherNode). */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  apply(el, props);
  append(el, children);
  return el;
}

/** Creates an SVG element (for the history trend). */
export function svg(tag, props, ...children) {
  const el = document.createElementNS(SVG, tag);
  apply(el, props);
  append(el, children);
  return el;
}

let counter = 0;
/** A document-unique id for label/aria references inside the shadow root. */
export function uid(prefix) {
  counter += 1;
  return `${prefix}-${counter}`;
}

/** Splits a translated text on {placeholders} and puts the given nodes in their place. */
export function fill(text, nodes) {
  return text.split(/(\{\w+\})/).map((part) => {
    const name = part.startsWith("{") && part.endsWith("}") ? part.slice(1, -1) : null;
    return name && name in nodes ? nodes[name] : part;
  });
}
