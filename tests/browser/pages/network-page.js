// One test page for every step of the care-network story: the widget's attributes come from the
// address (network.html?instruments=phq9&parent-role=mother&stage=pregnancy&week=20). A classic
// script after the element runs before the widget's module, so the widget starts with them.
const element = document.querySelector("kindband-screen");
for (const [name, value] of new URLSearchParams(window.location.search)) {
  element.setAttribute(name, value);
}
