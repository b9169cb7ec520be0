// Control for tests/wasm/browser.mjs: proves the served CSP is enforced (eval must be refused here).
const violations = [];
document.addEventListener("securitypolicyviolation", (event) =>
  violations.push(event.violatedDirective),
);
window.probe = (async () => {
  let evalBlocked = false;
  try {
    new Function("return 1")();
  } catch (error) {
    evalBlocked = error instanceof EvalError;
  }
  await new Promise((resolve) => setTimeout(resolve, 100)); // violation events are dispatched async
  return { evalBlocked, violations };
})();
